package idcard_test

import "os"

func writeFile(path string) error { return os.WriteFile(path, []byte("not a tty"), 0o600) }
