package credit

import (
	"strings"
	"time"
	"unicode/utf8"
)

// Role is what a county-office clerk may do.
type Role string

// Roles. A supervisor may also override the calendar, manage keys and see
// the audit view.
const (
	RoleClerk      Role = "clerk"
	RoleSupervisor Role = "supervisor"
)

// Label returns the role's Chinese and English names.
func (r Role) Label() (zh, en string) {
	switch r {
	case RoleClerk:
		return "工作人员", "clerk"
	case RoleSupervisor:
		return "负责人", "supervisor"
	}
	return string(r), string(r)
}

// Clerk is a member of county-office staff who logs in to the office app.
type Clerk struct {
	ID   string // staff number, e.g. C001
	Name string
	Role Role
}

// ClerkAccount is a clerk with their credentials and lockout state, as
// stored. PasswordHash is a PHC-format argon2id string.
type ClerkAccount struct {
	Clerk
	PasswordHash string
	FailedCount  int       // consecutive failed logins since the last success or lockout
	LockedUntil  time.Time // zero: not locked
}

// maxClerkIDLen bounds a staff number.
const maxClerkIDLen = 32

// Validate checks the staff number (ASCII letters, digits, '-' and '_'),
// the name and the role.
func (c Clerk) Validate() error {
	if c.ID == "" || len(c.ID) > maxClerkIDLen {
		return Errorf(EINVALID, "工号须为1至%d个字母或数字。", "The staff number must be 1 to %d letters or digits.", maxClerkIDLen)
	}
	for _, r := range c.ID {
		if !(r >= '0' && r <= '9' || r >= 'A' && r <= 'Z' || r >= 'a' && r <= 'z' || r == '-' || r == '_') {
			return Errorf(EINVALID, "工号只能包含字母、数字、“-”和“_”。", "The staff number may contain only letters, digits, '-' and '_'.")
		}
	}
	if n := utf8.RuneCountInString(strings.TrimSpace(c.Name)); n == 0 || n > 50 {
		return Errorf(EINVALID, "请填写姓名（不超过50个字）。", "Enter a name of at most 50 characters.")
	}
	if c.Role != RoleClerk && c.Role != RoleSupervisor {
		return Errorf(EINVALID, "角色须为 clerk 或 supervisor。", "The role must be clerk or supervisor.")
	}
	return nil
}
