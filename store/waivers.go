package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strconv"
	"time"

	"flowgate/model"
)

// maxWaiverReasonLength bounds a waiver's reason: a sentence, not a file.
const maxWaiverReasonLength = 500

// Waivers are kept by subject id (a workflow's numeric id, a token's public
// id) so that a waiver follows its workflow across renames and dies with it
// (a trigger deletes it with the workflow); they are read back with the
// workflow's current name, which is what findings carry.
const waiverSelect = `SELECT v.rule, v.subject_kind, v.subject_id, coalesce(w.name, ''), v.reason,
	v.created_at, v.expires_at, v.actor, v.os_user
	FROM waivers v LEFT JOIN workflows w ON v.subject_kind = 'workflow' AND CAST(w.id AS TEXT) = v.subject_id`

// ListWaivers returns every waiver, expired ones included (model.Waiver's
// ActiveAt says which apply), ordered by rule and subject.
func (s *Store) ListWaivers(ctx context.Context) ([]model.Waiver, error) {
	rows, err := s.conn().QueryContext(ctx, waiverSelect+` ORDER BY v.rule, v.subject_kind, nocase(coalesce(w.name, v.subject_id)), v.subject_id`)
	if err != nil {
		return nil, fmt.Errorf("%s: list waivers: %w", s.path, err)
	}
	defer rows.Close()
	var out []model.Waiver
	for rows.Next() {
		var w model.Waiver
		var kind, id, name, created string
		var expires sql.NullString
		if err := rows.Scan(&w.Rule, &kind, &id, &name, &w.Reason, &created, &expires, &w.By, &w.OSUser); err != nil {
			return nil, fmt.Errorf("%s: list waivers: %w", s.path, err)
		}
		if kind == string(model.RuleAboutToken) {
			w.Token = id
		} else if w.Workflow = name; name == "" {
			continue // cannot happen while the trigger holds; never match a nameless waiver
		}
		if w.CreatedAt, err = parseTime(created); err != nil {
			return nil, err
		}
		if w.ExpiresAt, err = parseNullTime(expires); err != nil {
			return nil, err
		}
		out = append(out, w)
	}
	return out, rows.Err()
}

// Waive stores w (replacing an earlier waiver of the same rule and subject)
// and records it in the change trail, made by the actor of ctx. w names a
// known rule and, as that rule requires, an existing workflow by name or a
// token by id; its reason is required. CreatedAt, By and OSUser are set
// here. The stored waiver is returned with the workflow's stored name.
func (s *Store) Waive(ctx context.Context, w model.Waiver) (model.Waiver, error) {
	if w.Reason == "" {
		return model.Waiver{}, errors.New("a waiver needs a reason: say why the finding is acceptable")
	}
	if err := validateLabel("waiver reason", w.Reason, maxWaiverReasonLength); err != nil {
		return model.Waiver{}, err
	}
	w.CreatedAt, w.By, w.OSUser = now(), actorFrom(ctx), osUserFrom(ctx)
	var expires any
	if w.ExpiresAt != nil {
		expires = formatTime(*w.ExpiresAt)
	}
	err := s.write(ctx, func(tx *Tx) error {
		sub, err := tx.waiverSubject(ctx, &w)
		if err != nil {
			return err
		}
		old, err := tx.waiverText(ctx, w.Rule, sub)
		if err != nil {
			return err
		}
		_, err = tx.tx.ExecContext(ctx, `INSERT INTO waivers
			(rule, subject_kind, subject_id, reason, created_at, expires_at, actor, os_user) VALUES (?, ?, ?, ?, ?, ?, ?, ?)
			ON CONFLICT (rule, subject_kind, subject_id) DO UPDATE SET reason = excluded.reason, created_at = excluded.created_at,
				expires_at = excluded.expires_at, actor = excluded.actor, os_user = excluded.os_user`,
			w.Rule, sub.kind, sub.ref, w.Reason, formatTime(w.CreatedAt), expires, w.By, w.OSUser)
		if err != nil {
			return fmt.Errorf("waive %s for %s: %w", w.Rule, w.Subject(), err)
		}
		return tx.recordSubject(ctx, w.CreatedAt, sub.trail, model.FieldChange{Field: "waiver " + string(w.Rule), Old: old, New: describeWaiver(w.Reason, w.ExpiresAt)})
	})
	return w, err
}

// Unwaive removes the waiver of rule for the workflow named workflow or the
// token with id token, recording it in the change trail; an error wrapping
// ErrNotFound when there is none.
func (s *Store) Unwaive(ctx context.Context, rule model.Rule, workflow, token string) error {
	w := model.Waiver{Rule: rule, Workflow: workflow, Token: token}
	return s.write(ctx, func(tx *Tx) error {
		sub, err := tx.waiverSubject(ctx, &w)
		if err != nil {
			return err
		}
		old, err := tx.waiverText(ctx, rule, sub)
		if err != nil {
			return err
		}
		if old == "" {
			return fmt.Errorf("no waiver of %s for %s (see `flowgate review --waived`): %w", rule, w.Subject(), ErrNotFound)
		}
		if _, err := tx.tx.ExecContext(ctx, `DELETE FROM waivers WHERE rule = ? AND subject_kind = ? AND subject_id = ?`,
			rule, sub.kind, sub.ref); err != nil {
			return fmt.Errorf("unwaive %s for %s: %w", rule, w.Subject(), err)
		}
		return tx.recordSubject(ctx, now(), sub.trail, model.FieldChange{Field: "waiver " + string(rule), Old: old, New: "removed"})
	})
}

// waiverRef is where a waiver is kept: its subject's kind and id in the
// waivers table, and its subject in the change trail.
type waiverRef struct {
	kind  model.RuleSubject
	ref   string
	trail subject
}

// waiverSubject checks that w's rule exists and that w names the subject
// the rule is about, which must exist; it sets w.Workflow to the stored
// spelling of the name.
func (t *Tx) waiverSubject(ctx context.Context, w *model.Waiver) (waiverRef, error) {
	info, ok := model.LookupRule(string(w.Rule))
	if !ok {
		return waiverRef{}, fmt.Errorf("unknown review rule %q: use one of %s", w.Rule, model.RuleIDs())
	}
	trailID := func(kind model.RuleSubject, ref string) string {
		return string(w.Rule) + "/" + string(kind) + "/" + ref
	}
	switch {
	case info.Subject == model.RuleAboutToken && w.Token != "" && w.Workflow == "":
		if _, err := t.getToken(ctx, w.Token); err != nil {
			return waiverRef{}, err
		}
		return waiverRef{kind: info.Subject, ref: w.Token,
			trail: subject{kind: SubjectWaiver, id: trailID(info.Subject, w.Token)}}, nil
	case info.Subject == model.RuleAboutWorkflow && w.Workflow != "" && w.Token == "":
		wf, err := getWorkflow(ctx, t.tx, w.Workflow)
		if err != nil {
			return waiverRef{}, err
		}
		w.Workflow = wf.Name
		ref := strconv.FormatInt(wf.ID, 10)
		return waiverRef{kind: info.Subject, ref: ref,
			trail: subject{kind: SubjectWaiver, id: trailID(info.Subject, ref), workflowID: wf.ID, workflow: wf.Name}}, nil
	}
	return waiverRef{}, fmt.Errorf("rule %s is about a %s: name one", w.Rule, info.Subject)
}

// waiverText describes the stored waiver of rule for sub, or "" when there
// is none.
func (t *Tx) waiverText(ctx context.Context, rule model.Rule, sub waiverRef) (string, error) {
	var reason string
	var expires sql.NullString
	err := t.tx.QueryRowContext(ctx, `SELECT reason, expires_at FROM waivers WHERE rule = ? AND subject_kind = ? AND subject_id = ?`,
		rule, sub.kind, sub.ref).Scan(&reason, &expires)
	if errors.Is(err, sql.ErrNoRows) {
		return "", nil
	}
	if err != nil {
		return "", fmt.Errorf("read waiver of %s: %w", rule, err)
	}
	at, err := parseNullTime(expires)
	if err != nil {
		return "", err
	}
	return describeWaiver(reason, at), nil
}

// describeWaiver is a waiver as the change trail shows it.
func describeWaiver(reason string, expires *time.Time) string {
	until := "never expires"
	if expires != nil {
		until = "expires " + expires.UTC().Format(time.RFC3339)
	}
	return fmt.Sprintf("%q, %s", reason, until)
}
