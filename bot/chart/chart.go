// Package chart draws the diagnostic's charts as PNG images, in pure Go
// (github.com/go-analyze/charts, no cgo), for Balise to upload to
// Mattermost.
package chart

import (
	"fmt"

	"github.com/go-analyze/charts"
)

// Size of the images: readable inline on a phone and on a screen.
const (
	Width  = 800
	Height = 600
)

// Series is one polygon of a radar: a name for the legend ("Now",
// "Target", "V1"...) and a value from 0 to 100 per axis.
type Series struct {
	Name   string
	Values []float64
}

// Radar draws series over the axes (the dimensions' short names), each
// from 0 to 100, and returns the PNG. It needs at least 3 axes and one
// series, each with a value per axis.
func Radar(title string, axes []string, series ...Series) ([]byte, error) {
	if len(axes) < 3 {
		return nil, fmt.Errorf("radar: %d axes, want at least 3", len(axes))
	}
	if len(series) == 0 {
		return nil, fmt.Errorf("radar: no series")
	}
	values := make([][]float64, len(series))
	names := make([]string, len(series))
	for i, s := range series {
		if len(s.Values) != len(axes) {
			return nil, fmt.Errorf("radar: series %q has %d values for %d axes", s.Name, len(s.Values), len(axes))
		}
		values[i], names[i] = s.Values, s.Name
	}
	maxima := make([]float64, len(axes))
	for i := range maxima {
		maxima[i] = 100
	}
	opt := charts.NewRadarChartOptionWithData(values, axes, maxima)
	opt.Title = charts.TitleOption{Text: title, FontStyle: charts.NewFontStyleWithSize(18)}
	opt.Legend = charts.LegendOption{SeriesNames: names, Offset: charts.OffsetRight}
	p := charts.NewPainter(charts.PainterOptions{OutputFormat: charts.ChartOutputPNG, Width: Width, Height: Height})
	if err := p.RadarChart(opt); err != nil {
		return nil, fmt.Errorf("radar: %w", err)
	}
	return p.Bytes()
}
