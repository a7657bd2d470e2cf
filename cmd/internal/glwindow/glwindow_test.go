package glwindow

import (
	"fmt"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"testing"

	fyneapp "fyne.io/fyne/v2/app"
	"github.com/go-gl/gl/v2.1/gl"
	"github.com/go-gl/glfw/v3.3/glfw"
)

// glChildEnv makes the test binary run glChild (under Xvfb) instead of
// the tests: GLFW and Fyne's GL driver must own the process's main thread.
const glChildEnv = "CREDIT_GLWINDOW_CHILD"

// TestDepthlessWindowWithoutGLFW: with GLFW not initialised (the test
// driver, or a Fyne that initialises GLFW later than NewWindow) the hint
// is refused with an error, not a crash.
func TestDepthlessWindowWithoutGLFW(t *testing.T) {
	if err := Depthless(); err == nil || !strings.Contains(err.Error(), "NotInitialized") {
		t.Fatalf("depthlessWindow without GLFW = %v, want a NotInitialized error", err)
	}
}

// TestFitScreenWithoutGLFW: without GLFW the size is kept.
func TestFitScreenWithoutGLFW(t *testing.T) {
	if w, h := FitScreen(1280, 800); w != 1280 || h != 800 {
		t.Fatalf("FitScreen without GLFW = %v×%v", w, h)
	}
}

// TestDepthlessWindowUnderX runs the real GL driver under Xvfb (Mesa's
// software renderer) in a child process: after Fyne's NewWindow the hints
// are accepted and a window created with them has no depth or stencil
// bits, while one created with GLFW's defaults has (so the probe can
// tell). That Fyne draws correctly without them is seen in make run's and
// make screenshots' PNGs. FitScreen shrinks a window to the 640×480 screen.
func TestDepthlessWindowUnderX(t *testing.T) {
	if testing.Short() {
		t.Skip("starts Xvfb")
	}
	xvfb, err := exec.LookPath("xvfb-run")
	if err != nil {
		t.Skip("xvfb-run is not installed (scripts/install-deps.sh installs it)")
	}
	out := runGLChild(t, xvfb, "")
	if _, why, ok := strings.Cut(out, "gl child: skip: "); ok {
		t.Skip(strings.TrimSpace(why))
	}
	if !strings.Contains(out, "gl child: ok") {
		t.Fatalf("child:\n%s", out)
	}
	t.Logf("%s", out)
}

// TestFitScreenScaledUnderX: with FYNE_SCALE set, Fyne draws a unit as
// that many pixels, so FitScreen gives the 640×480 screen in those units
// (1.5: 426.7×320; 2: 320×240), or the window would reach past the
// screen's right and bottom edges. The figures are checked in a child
// under Xvfb (a GLFW monitor; no GL context needed).
func TestFitScreenScaledUnderX(t *testing.T) {
	if testing.Short() {
		t.Skip("starts Xvfb")
	}
	xvfb, err := exec.LookPath("xvfb-run")
	if err != nil {
		t.Skip("xvfb-run is not installed (scripts/install-deps.sh installs it)")
	}
	for _, scale := range []string{"2", "1.5"} {
		if out := runGLChild(t, xvfb, scale); !strings.Contains(out, "gl child: ok") {
			t.Errorf("FYNE_SCALE=%s: child:\n%s", scale, out)
		}
	}
}

// runGLChild runs glChild under Xvfb on a 640×480 screen, with FYNE_SCALE
// set to scale when it is not "" (then only FitScreen is checked), and
// returns its output.
func runGLChild(t *testing.T, xvfb, scale string) string {
	t.Helper()
	cmd := exec.CommandContext(t.Context(), xvfb, "-a", "-s", "-screen 0 640x480x24", os.Args[0], "-test.run=^$")
	cmd.Env = append(os.Environ(), glChildEnv+"=1", "FYNE_SCALE="+scale, "FYNE_DISABLE_DPI_DETECTION=")
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("child: %v\n%s", err, out)
	}
	return string(out)
}

// glChild is the child of TestDepthlessWindowUnderX; it reports on stdout
// and exits.
func glChild() {
	fail := func(f string, args ...any) {
		os.Stdout.WriteString("gl child: FAIL: " + strings.TrimSpace(fmt.Sprintf(f, args...)) + "\n")
		os.Exit(1)
	}
	a := fyneapp.NewWithID("cn.gov.gansu.credit.kiosk.gltest")
	a.NewWindow("gl test") // initialises GLFW, as the kiosk's Run does
	if err := Depthless(); err != nil {
		fail("hints refused after NewWindow: %v", err)
	}
	scale := float32(1)
	if env := os.Getenv("FYNE_SCALE"); env != "" {
		s, err := strconv.ParseFloat(env, 32)
		if err != nil {
			fail("FYNE_SCALE %q: %v", env, err)
		}
		scale = float32(s)
	}
	if w, h := FitScreen(1280, 800); w != 640/scale || h != 480/scale {
		fail("FitScreen(1280, 800) on a 640×480 screen at scale %v = %v×%v, want %v×%v", scale, w, h, 640/scale, 480/scale)
	}
	if w, h := FitScreen(300, 200); w != 300 || h != 200 {
		fail("FitScreen(300, 200) on a 640×480 screen at scale %v = %v×%v", scale, w, h)
	}
	if scale != 1 {
		os.Stdout.WriteString("gl child: ok\n")
		os.Exit(0)
	}
	if d, _ := probeBits(); d < 0 {
		os.Stdout.WriteString("gl child: skip: no GL window can be made under Xvfb here (Mesa's libgl1-mesa-dri?)\n")
		os.Exit(0)
	}
	if d, s := probeBits(); d != 0 || s != 0 {
		fail("a window made with the hints has depth %d stencil %d bits", d, s)
	}
	glfw.DefaultWindowHints()
	if d, _ := probeBits(); d == 0 {
		fail("the control window with GLFW's defaults has no depth buffer either: the probe proves nothing")
	}
	os.Stdout.WriteString("gl child: ok\n")
	os.Exit(0)
}

// probeBits creates a hidden window with the hints in force and reads its
// framebuffer's depth and stencil bits.
func probeBits() (depth, stencil int32) {
	glfw.WindowHint(glfw.Visible, glfw.False)
	pw, err := glfw.CreateWindow(16, 16, "probe", nil, nil)
	if err != nil {
		return -1, -1
	}
	defer pw.Destroy()
	pw.MakeContextCurrent()
	defer glfw.DetachCurrentContext()
	if err := gl.Init(); err != nil {
		return -1, -1
	}
	gl.GetIntegerv(gl.DEPTH_BITS, &depth)
	gl.GetIntegerv(gl.STENCIL_BITS, &stencil)
	return depth, stencil
}

// TestMain runs glChild instead of the tests in TestDepthlessWindowUnderX's
// child process.
func TestMain(m *testing.M) {
	if os.Getenv(glChildEnv) != "" {
		glChild() // exits
	}
	os.Exit(m.Run())
}

// TestSystemScale: the scale Fyne's GL driver takes from the system, by
// platform and monitor (its figures: internal/driver/glfw/scale.go), and
// with the user's scale, rounded to a tenth.
func TestSystemScale(t *testing.T) {
	for _, tc := range []struct {
		name             string
		goos             string
		content          float32
		mm, mmH, px      int
		noDPI            string
		want, withUser15 float32
	}{
		{"office 1024 at 85 dpi", "linux", 1, 304, 228, 1024, "", 1, 1.5},
		{"14-inch laptop 1366", "linux", 1, 309, 174, 1366, "", 1.2, 1.8},
		{"15-inch full HD", "linux", 1, 344, 194, 1920, "", 1.5, 2.2},
		{"DPI detection off", "linux", 1, 309, 174, 1366, "true", 1, 1.5},
		{"no physical size", "linux", 1, 0, 0, 1366, "", 1, 1.5},
		{"Steam Deck 60 mm", "linux", 1, 60, 60, 1280, "", 1, 1.5},
		{"Windows content scale", "windows", 1.25, 309, 174, 1366, "", 1.3, 1.9},
		{"macOS", "darwin", 2, 300, 200, 2880, "", 1, 1.5},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Setenv("FYNE_DISABLE_DPI_DETECTION", tc.noDPI)
			sys := systemScale(tc.goos, tc.content, tc.mm, tc.mmH, tc.px)
			if got := fyneScale(1, sys); got != tc.want {
				t.Errorf("scale %v, want %v", got, tc.want)
			}
			if got := fyneScale(1.5, sys); got != tc.withUser15 {
				t.Errorf("scale with the user's 1.5: %v, want %v", got, tc.withUser15)
			}
		})
	}
}
