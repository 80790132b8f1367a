package chart

import (
	"bytes"
	"image/png"
	"testing"
)

var axes = []string{"Stratégie", "Pilotage", "Outils", "Compétences", "Sécurité", "Équipement", "Valeurs"}

func TestRadarIsAPNG(t *testing.T) {
	data, err := Radar("Diagnostic V2", axes,
		Series{"Aujourd'hui", []float64{30, 45, 60, 20, 10, 70, 55}},
		Series{"Objectif", []float64{75, 75, 75, 50, 100, 75, 100}})
	if err != nil {
		t.Fatal(err)
	}
	img, err := png.Decode(bytes.NewReader(data))
	if err != nil {
		t.Fatalf("not a PNG: %v", err)
	}
	if b := img.Bounds(); b.Dx() != Width || b.Dy() != Height {
		t.Errorf("size: got %dx%d, want %dx%d", b.Dx(), b.Dy(), Width, Height)
	}
	colours := map[[4]uint32]bool{}
	for x := 0; x < Width; x += 7 {
		for y := 0; y < Height; y += 7 {
			r, g, b, a := img.At(x, y).RGBA()
			colours[[4]uint32{r, g, b, a}] = true
		}
	}
	if len(colours) < 5 {
		t.Errorf("got %d colours, want a drawing (at least 5)", len(colours))
	}
}

func TestRadarRefusesWhatItCannotDraw(t *testing.T) {
	for _, tc := range []struct {
		name   string
		axes   []string
		series []Series
	}{
		{"two axes", axes[:2], []Series{{"a", []float64{1, 2}}}},
		{"no series", axes, nil},
		{"a value missing", axes, []Series{{"a", []float64{1, 2, 3}}}},
	} {
		if _, err := Radar("t", tc.axes, tc.series...); err == nil {
			t.Errorf("%s: got no error", tc.name)
		}
	}
}
