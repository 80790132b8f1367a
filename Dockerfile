# Build: a static binary (no cgo: modernc.org/sqlite is pure Go).
FROM golang:1.26-alpine AS build
WORKDIR /src
COPY go.mod go.sum ./
RUN go mod download
COPY . .
ARG VERSION=dev
RUN CGO_ENABLED=0 go build -trimpath -ldflags "-s -w -X main.Version=${VERSION}" -o /out/balise ./cmd/balise

# Run: CA certificates, time zones, a non-root user, the database on a volume.
FROM alpine:3.20
RUN apk add --no-cache ca-certificates tzdata \
 && adduser -D -H -u 10001 balise \
 && mkdir /data && chown balise /data
COPY --from=build /out/balise /usr/local/bin/balise
USER balise
VOLUME /data
ENV BALISE_DB=/data/balise.db BALISE_LISTEN_ADDR=:8080
EXPOSE 8080
ENTRYPOINT ["balise"]
CMD ["serve"]
