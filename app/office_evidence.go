package app

import (
	"context"
	"fmt"

	credit "github.com/gansu-credit/credit"
)

// AttachEvidence attaches a file to an application: a PDF, JPEG or PNG
// recognised by its content (not its name), at most credit.MaxEvidenceBytes,
// at most credit.MaxEvidencePerApp per application. A refused file gets a
// message saying what is accepted. The sync client sends the files to the
// platform before the application (sync/protocol/blobs.go), also files
// attached after the application was sent.
func (o *Office) AttachEvidence(ctx context.Context, cs *ClerkSession, applicationID, name string, data []byte) (credit.Evidence, error) {
	if err := o.active(cs); err != nil {
		return credit.Evidence{}, err
	}
	if o.evidence == nil {
		return credit.Evidence{}, errNotConfigured()
	}
	if _, err := credit.CheckEvidence(name, data); err != nil {
		o.log.InfoContext(ctx, "evidence refused", logKeyApplication, applicationID, logKeyBytes, len(data))
		return credit.Evidence{}, err
	}
	e, err := o.evidence.AddEvidence(ctx, credit.Evidence{ApplicationID: applicationID, Name: name, AddedAt: o.now()}, data)
	if err != nil {
		if credit.ErrorCode(err) == credit.EINTERNAL {
			return credit.Evidence{}, o.unavailable(ctx, "attach evidence", err)
		}
		return credit.Evidence{}, fmt.Errorf("attach evidence: %w", err)
	}
	o.log.InfoContext(ctx, "evidence attached", logKeyClerk, cs.Clerk.ID, logKeyApplication, applicationID, logKeyType, string(e.Type), logKeyBytes, e.Size)
	return e, nil
}

// errNotConfigured answers a use case whose port the office was built
// without.
func errNotConfigured() error {
	return credit.Errorf(credit.EUNAVAILABLE, "本机未启用此功能。", "This function is not set up on this computer.")
}

// EvidenceOf lists the files attached to an application.
func (o *Office) EvidenceOf(ctx context.Context, cs *ClerkSession, applicationID string) ([]credit.Evidence, error) {
	if err := o.active(cs); err != nil {
		return nil, err
	}
	if o.evidence == nil {
		return nil, errNotConfigured()
	}
	list, err := o.evidence.EvidenceOf(ctx, applicationID)
	if err != nil {
		return nil, o.unavailable(ctx, "evidence of", err)
	}
	return list, nil
}
