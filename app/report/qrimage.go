package report

import (
	"image"
	"image/color"
	"image/draw"
)

// gray converts img to 8-bit grey.
func gray(img image.Image) *image.Gray {
	if g, ok := img.(*image.Gray); ok {
		return g
	}
	b := img.Bounds()
	g := image.NewGray(image.Rect(0, 0, b.Dx(), b.Dy()))
	draw.Draw(g, g.Bounds(), img, b.Min, draw.Src)
	return g
}

// downscale shrinks img by k with box averaging; nil when too small.
func downscale(img image.Image, k int) *image.Gray {
	src := gray(img)
	w, h := src.Bounds().Dx()/k, src.Bounds().Dy()/k
	if w < 21 || h < 21 {
		return nil
	}
	dst := image.NewGray(image.Rect(0, 0, w, h))
	for y := 0; y < h; y++ {
		for x := 0; x < w; x++ {
			sum := 0
			for dy := 0; dy < k; dy++ {
				row := src.Pix[(y*k+dy)*src.Stride:]
				for dx := 0; dx < k; dx++ {
					sum += int(row[x*k+dx])
				}
			}
			dst.Pix[y*dst.Stride+x] = uint8(sum / (k * k))
		}
	}
	return dst
}

// quarters are the four overlapping quarter-size regions of r, top-right
// first (where a report puts its QR), each 60 % of the width and height.
func quarters(r image.Rectangle) []image.Rectangle {
	w, h := r.Dx()*6/10, r.Dy()*6/10
	return []image.Rectangle{
		image.Rect(r.Max.X-w, r.Min.Y, r.Max.X, r.Min.Y+h),
		image.Rect(r.Min.X, r.Min.Y, r.Min.X+w, r.Min.Y+h),
		image.Rect(r.Min.X, r.Max.Y-h, r.Min.X+w, r.Max.Y),
		image.Rect(r.Max.X-w, r.Max.Y-h, r.Max.X, r.Max.Y),
	}
}

// crop copies region r of img into a new grey image.
func crop(img image.Image, r image.Rectangle) *image.Gray {
	g := image.NewGray(image.Rect(0, 0, r.Dx(), r.Dy()))
	draw.Draw(g, g.Bounds(), img, r.Min, draw.Src)
	return g
}

// trimWhite cuts img to the bounding box of its dark pixels plus a
// 4-pixel white margin, so a pure-barcode decode sees only the symbol;
// nil when there is nothing dark.
func trimWhite(img *image.Gray) *image.Gray {
	b := img.Bounds()
	minX, minY, maxX, maxY := b.Max.X, b.Max.Y, -1, -1
	for y := b.Min.Y; y < b.Max.Y; y++ {
		for x := b.Min.X; x < b.Max.X; x++ {
			if img.GrayAt(x, y).Y < 128 {
				minX, minY = min(minX, x), min(minY, y)
				maxX, maxY = max(maxX, x), max(maxY, y)
			}
		}
	}
	if maxX < 0 {
		return nil
	}
	const m = 4
	out := image.NewGray(image.Rect(0, 0, maxX-minX+1+2*m, maxY-minY+1+2*m))
	draw.Draw(out, out.Bounds(), &image.Uniform{color.Gray{Y: 255}}, image.Point{}, draw.Src)
	draw.Draw(out, image.Rect(m, m, m+maxX-minX+1, m+maxY-minY+1), img, image.Pt(minX, minY), draw.Src)
	return out
}
