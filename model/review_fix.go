package model

// SuggestedFix is w changed as finding f suggests, so that the editor can
// apply it as an unsaved draft for a person to look at and save: ok is
// false when f has no fix to apply (token findings). Choosing an
// Authentication confirms a migrated one, as the editor's dropdown does.
//
//   - open, open-ignores-privacy: require User and admin.
//   - users-ignores-privacy: Admin only.
//   - shared-secret-parameter: Admin only, and the secret parameters go.
//   - migrated-auth: the Authentication is confirmed as it is.
//   - tighten-from-traffic: the Authentication the finding suggests.
func SuggestedFix(f Finding, w Workflow) (fixed Workflow, ok bool) {
	switch f.Rule {
	case RuleOpen, RuleOpenIgnoresPrivacy:
		w.Auth = AuthUser
	case RuleUsersIgnoresPrivacy:
		w.Auth = AuthAdmin
	case RuleSharedSecretParameter:
		w.Auth = AuthAdmin
		secret := map[string]bool{}
		for _, k := range sharedSecretParameters(w) {
			secret[k] = true
		}
		kept := make([]Parameter, 0, len(w.Parameters))
		for _, p := range w.Parameters {
			if !secret[p.Key] {
				kept = append(kept, p)
			}
		}
		w.Parameters = kept
	case RuleMigratedAuth:
	case RuleTightenFromTraffic:
		if f.Suggest == "" {
			return w, false
		}
		w.Auth = f.Suggest
	default:
		return w, false
	}
	w.AuthMigrated = false
	return w, true
}
