package glwindow

import (
	"fmt"
	"os"
	"os/exec"
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
	cmd := exec.CommandContext(t.Context(), xvfb, "-a", "-s", "-screen 0 640x480x24", os.Args[0], "-test.run=^$")
	cmd.Env = append(os.Environ(), glChildEnv+"=1")
	out, err := cmd.CombinedOutput()
	if _, why, ok := strings.Cut(string(out), "gl child: skip: "); ok && err == nil {
		t.Skip(strings.TrimSpace(why))
	}
	if err != nil || !strings.Contains(string(out), "gl child: ok") {
		t.Fatalf("child: %v\n%s", err, out)
	}
	t.Logf("%s", out)
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
	if w, h := FitScreen(1280, 800); w != 640 || h != 480 {
		fail("FitScreen(1280, 800) on a 640×480 screen = %v×%v", w, h)
	}
	if w, h := FitScreen(300, 200); w != 300 || h != 200 {
		fail("FitScreen(300, 200) on a 640×480 screen = %v×%v", w, h)
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
