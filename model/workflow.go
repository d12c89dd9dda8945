package model

import (
	"fmt"
	"time"
)

// Workflow is one backend API workflow and its access settings. The zero
// value is not usable: build one with NewWorkflow so the defaults match what
// Bubble gives a new workflow (not public, User and admin, POST).
type Workflow struct {
	// ID is the store's stable identity; it survives renames.
	ID int64 `json:"-"`
	// Name is the endpoint name in /api/1.1/wf/{name}.
	Name string `json:"name"`
	// Public is "Expose as a public API workflow". When false the workflow
	// is scheduled-only and never callable over HTTP, whatever Auth says.
	Public bool `json:"public"`
	// Auth is kept even while not public, so it comes back when re-exposed.
	Auth Auth `json:"auth"`
	// IgnorePrivacyRules runs the workflow with full data access; risky when
	// combined with weak authentication, which Review points out.
	IgnorePrivacyRules bool        `json:"ignore_privacy_rules"`
	Method             Method      `json:"method"`
	Description        string      `json:"description"`
	Parameters         []Parameter `json:"parameters"`
	// AuthMigrated marks an Auth value that came from the legacy checkbox
	// and has not been confirmed by a person since.
	AuthMigrated bool      `json:"-"`
	Version      int64     `json:"version"`
	CreatedAt    time.Time `json:"created_at"`
	UpdatedAt    time.Time `json:"updated_at"`
}

// Parameter is one input a workflow declares. flowgate does not enforce
// parameters; it keeps them because review and the editor need to see them.
type Parameter struct {
	Key      string `json:"key"`
	Type     string `json:"type"`
	In       string `json:"in"` // "body" or "query"
	IsList   bool   `json:"is_list"`
	Optional bool   `json:"optional"`
}

// Where a parameter is read from.
const (
	ParamInBody  = "body"
	ParamInQuery = "query"
)

// NewWorkflow returns a workflow with Bubble's defaults for a new one.
func NewWorkflow(name string) Workflow {
	return Workflow{Name: name, Auth: AuthUser, Method: MethodPOST, Parameters: []Parameter{}}
}

// Validate checks every field a store or importer must refuse, so that no
// invalid setting is ever saved and later decided on.
func (w Workflow) Validate() error {
	if err := ValidateName(w.Name); err != nil {
		return err
	}
	if !w.Auth.Valid() {
		return fmt.Errorf("workflow %s: invalid auth %q: use none, user or admin", w.Name, w.Auth)
	}
	if !w.Method.Valid() {
		return fmt.Errorf("workflow %s: invalid method %q: use POST or GET", w.Name, w.Method)
	}
	if err := ValidateText("description", w.Description); err != nil {
		return fmt.Errorf("workflow %s: %w", w.Name, err)
	}
	for i, p := range w.Parameters {
		if p.Key == "" {
			return fmt.Errorf("workflow %s: parameter %d has no key", w.Name, i+1)
		}
		if p.In != ParamInBody && p.In != ParamInQuery {
			return fmt.Errorf("workflow %s: parameter %s: invalid location %q: use body or query", w.Name, p.Key, p.In)
		}
	}
	return nil
}
