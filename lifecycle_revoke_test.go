package credit_test

import (
	"testing"

	credit "github.com/gansu-credit/credit"
)

// TestCloseOnRevocation: a revoked basis (Art. 48) closes any application
// still open on the record, whatever its step; a closed one stays as it is.
func TestCloseOnRevocation(t *testing.T) {
	tests := []struct {
		l      credit.Lifecycle
		status credit.ApplicationStatus
		ok     bool
	}{
		{credit.ObjectionLifecycle, credit.StatusReceived, true},
		{credit.ObjectionLifecycle, credit.StatusLabelled, true},
		{credit.ObjectionLifecycle, credit.StatusUnderReview, true},
		{credit.ObjectionLifecycle, credit.StatusNotCorrected, true},
		{credit.ObjectionLifecycle, credit.StatusClosed, false},
		{credit.RestorationLifecycle, credit.StatusReceived, true},
		{credit.RestorationLifecycle, credit.StatusAccepted, true},
		{credit.RestorationLifecycle, credit.StatusRefused, true},
		{credit.RestorationLifecycle, credit.StatusClosed, false},
	}
	for _, tt := range tests {
		err := tt.l.CloseOnRevocation(tt.status)
		if (err == nil) != tt.ok {
			t.Errorf("%s %s: CloseOnRevocation = %v, want ok=%v", tt.l.Kind, tt.status, err, tt.ok)
		}
		if err != nil && (credit.ErrorCode(err) != credit.ECONFLICT || credit.ErrorMessage(err) == "") {
			t.Errorf("%s %s: error %v is not a clear ECONFLICT", tt.l.Kind, tt.status, err)
		}
	}
}
