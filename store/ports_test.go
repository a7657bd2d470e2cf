package store_test

import (
	"github.com/gansu-credit/credit/app"
	"github.com/gansu-credit/credit/store"
	"github.com/gansu-credit/credit/sync/syncclient"
)

// The store implements the ports declared by app and syncclient; the
// assertions live here so that store itself imports neither.
var (
	_ app.Records        = (*store.DB)(nil)
	_ app.InquiryLog     = (*store.DB)(nil)
	_ app.Applications   = (*store.DB)(nil)
	_ syncclient.Outbox  = (*store.DB)(nil)
	_ syncclient.Applier = (*store.DB)(nil)
)
