package model

import (
	"fmt"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
)

// decisionTable is the product's core promise, one row per workflow state and
// request method, one column per credential. A cell is the status, and for a
// denial the code. Workflow states read "<public|scheduled> <auth> <method>";
// "unknown" means no workflow has the requested name.
var decisionTable = []struct {
	workflow, method                      string
	none, malformed, invalid, user, admin string
}{
	//  workflow            request    no token    malformed header   invalid token   user token   admin token
	{"unknown", "POST", "404 not_found", "400 invalid_request", "401 invalid_token", "404 not_found", "404 not_found"},
	{"unknown", "GET", "404 not_found", "400 invalid_request", "401 invalid_token", "404 not_found", "404 not_found"},
	{"unknown", "DELETE", "404 not_found", "400 invalid_request", "401 invalid_token", "404 not_found", "404 not_found"},
	{"scheduled none POST", "POST", "404 not_found", "400 invalid_request", "401 invalid_token", "404 not_found", "404 not_found"},
	{"scheduled none POST", "GET", "404 not_found", "400 invalid_request", "401 invalid_token", "404 not_found", "404 not_found"},
	{"scheduled none POST", "DELETE", "404 not_found", "400 invalid_request", "401 invalid_token", "404 not_found", "404 not_found"},
	{"scheduled none GET", "POST", "404 not_found", "400 invalid_request", "401 invalid_token", "404 not_found", "404 not_found"},
	{"scheduled none GET", "GET", "404 not_found", "400 invalid_request", "401 invalid_token", "404 not_found", "404 not_found"},
	{"scheduled none GET", "DELETE", "404 not_found", "400 invalid_request", "401 invalid_token", "404 not_found", "404 not_found"},
	{"scheduled user POST", "POST", "404 not_found", "400 invalid_request", "401 invalid_token", "404 not_found", "404 not_found"},
	{"scheduled user POST", "GET", "404 not_found", "400 invalid_request", "401 invalid_token", "404 not_found", "404 not_found"},
	{"scheduled user POST", "DELETE", "404 not_found", "400 invalid_request", "401 invalid_token", "404 not_found", "404 not_found"},
	{"scheduled user GET", "POST", "404 not_found", "400 invalid_request", "401 invalid_token", "404 not_found", "404 not_found"},
	{"scheduled user GET", "GET", "404 not_found", "400 invalid_request", "401 invalid_token", "404 not_found", "404 not_found"},
	{"scheduled user GET", "DELETE", "404 not_found", "400 invalid_request", "401 invalid_token", "404 not_found", "404 not_found"},
	{"scheduled admin POST", "POST", "404 not_found", "400 invalid_request", "401 invalid_token", "404 not_found", "404 not_found"},
	{"scheduled admin POST", "GET", "404 not_found", "400 invalid_request", "401 invalid_token", "404 not_found", "404 not_found"},
	{"scheduled admin POST", "DELETE", "404 not_found", "400 invalid_request", "401 invalid_token", "404 not_found", "404 not_found"},
	{"scheduled admin GET", "POST", "404 not_found", "400 invalid_request", "401 invalid_token", "404 not_found", "404 not_found"},
	{"scheduled admin GET", "GET", "404 not_found", "400 invalid_request", "401 invalid_token", "404 not_found", "404 not_found"},
	{"scheduled admin GET", "DELETE", "404 not_found", "400 invalid_request", "401 invalid_token", "404 not_found", "404 not_found"},
	{"public none POST", "POST", "200", "400 invalid_request", "401 invalid_token", "200", "200"},
	{"public none POST", "GET", "405 method_not_allowed", "400 invalid_request", "401 invalid_token", "405 method_not_allowed", "405 method_not_allowed"},
	{"public none POST", "DELETE", "405 method_not_allowed", "400 invalid_request", "401 invalid_token", "405 method_not_allowed", "405 method_not_allowed"},
	{"public none GET", "POST", "405 method_not_allowed", "400 invalid_request", "401 invalid_token", "405 method_not_allowed", "405 method_not_allowed"},
	{"public none GET", "GET", "200", "400 invalid_request", "401 invalid_token", "200", "200"},
	{"public none GET", "DELETE", "405 method_not_allowed", "400 invalid_request", "401 invalid_token", "405 method_not_allowed", "405 method_not_allowed"},
	{"public user POST", "POST", "401 missing_token", "400 invalid_request", "401 invalid_token", "200", "200"},
	{"public user POST", "GET", "405 method_not_allowed", "400 invalid_request", "401 invalid_token", "405 method_not_allowed", "405 method_not_allowed"},
	{"public user POST", "DELETE", "405 method_not_allowed", "400 invalid_request", "401 invalid_token", "405 method_not_allowed", "405 method_not_allowed"},
	{"public user GET", "POST", "405 method_not_allowed", "400 invalid_request", "401 invalid_token", "405 method_not_allowed", "405 method_not_allowed"},
	{"public user GET", "GET", "401 missing_token", "400 invalid_request", "401 invalid_token", "200", "200"},
	{"public user GET", "DELETE", "405 method_not_allowed", "400 invalid_request", "401 invalid_token", "405 method_not_allowed", "405 method_not_allowed"},
	{"public admin POST", "POST", "401 missing_token", "400 invalid_request", "401 invalid_token", "403 insufficient_scope", "200"},
	{"public admin POST", "GET", "405 method_not_allowed", "400 invalid_request", "401 invalid_token", "405 method_not_allowed", "405 method_not_allowed"},
	{"public admin POST", "DELETE", "405 method_not_allowed", "400 invalid_request", "401 invalid_token", "405 method_not_allowed", "405 method_not_allowed"},
	{"public admin GET", "POST", "405 method_not_allowed", "400 invalid_request", "401 invalid_token", "405 method_not_allowed", "405 method_not_allowed"},
	{"public admin GET", "GET", "401 missing_token", "400 invalid_request", "401 invalid_token", "403 insufficient_scope", "200"},
	{"public admin GET", "DELETE", "405 method_not_allowed", "400 invalid_request", "401 invalid_token", "405 method_not_allowed", "405 method_not_allowed"},
}

// workflowFor builds the workflow a decisionTable row describes.
func workflowFor(t *testing.T, state string) *Workflow {
	if state == "unknown" {
		return nil
	}
	var exposure, auth, method string
	_, err := fmt.Sscanf(state, "%s %s %s", &exposure, &auth, &method)
	if err != nil {
		t.Fatalf("bad state %q: %v", state, err)
	}
	w := NewWorkflow("wf")
	w.Public = exposure == "public"
	w.Auth = Auth(auth)
	w.Method = Method(method)
	return &w
}

func outcome(d Decision) string {
	if d.Allowed {
		return fmt.Sprint(d.Status)
	}
	return fmt.Sprintf("%d %s", d.Status, d.Code)
}

func TestDecideTable(t *testing.T) {
	seen := map[string]bool{}
	for _, row := range decisionTable {
		w := workflowFor(t, row.workflow)
		seen[row.workflow+" "+row.method] = true
		cells := map[CredentialKind]string{
			CredentialNone: row.none, CredentialMalformed: row.malformed, CredentialInvalid: row.invalid,
			CredentialUser: row.user, CredentialAdmin: row.admin,
		}
		for kind, want := range cells {
			d := Decide(w, Credential{Kind: kind}, row.method)
			assert.Equal(t, want, outcome(d), "%s, %s request, %s credential", row.workflow, row.method, kind)
			assert.Equal(t, d.Allowed, d.Status == 200, "Allowed and Status agree")
			if !d.Allowed {
				assert.NotEmpty(t, d.Message)
			}
		}
	}
	// Every combination is in the table: 1 unknown + 2 exposures × 3 auths × 2 methods, × 3 request methods.
	assert.Len(t, seen, 13*3)
}

func TestDecideFailsClosedOnUnexpectedInput(t *testing.T) {
	w := NewWorkflow("wf")
	w.Public = true
	w.Auth = Auth("everyone")
	for _, kind := range []CredentialKind{CredentialNone, CredentialUser, CredentialAdmin} {
		d := Decide(&w, Credential{Kind: kind}, "POST")
		assert.False(t, d.Allowed, "an unknown auth value must never allow (%s)", kind)
	}
	w.Auth = AuthNone
	d := Decide(&w, Credential{Kind: CredentialKind(42)}, "POST")
	assert.Equal(t, "401 invalid_token", outcome(d), "an unknown credential kind is treated as an invalid token")
	d = Decide(&w, Credential{}, "post")
	assert.Equal(t, "405 method_not_allowed", outcome(d), "methods are case-sensitive, as in HTTP")
}

func TestNotPublicKeepsAuthButHasNoEffect(t *testing.T) {
	w := NewWorkflow("wf")
	w.Auth = AuthNone
	assert.Equal(t, "404 not_found", outcome(Decide(&w, Credential{}, "POST")))
	assert.Equal(t, AuthNone, w.Auth)
	w.Public = true
	assert.Equal(t, "200", outcome(Decide(&w, Credential{}, "POST")))
}

func TestLegacyAuth(t *testing.T) {
	assert.Equal(t, AuthNone, LegacyAuth(true))
	assert.Equal(t, AuthUser, LegacyAuth(false))
}

func TestValidateName(t *testing.T) {
	assert.NoError(t, ValidateName("send-invoice_2"))
	assert.NoError(t, ValidateName(strings.Repeat("a", 100)))
	assert.ErrorContains(t, ValidateName(strings.Repeat("a", 101)), "longer than 100")
	assert.ErrorContains(t, ValidateName(""), "empty")
	assert.ErrorContains(t, ValidateName("send invoice"), `character ' ' at position 5`)
	assert.ErrorContains(t, ValidateName("café"), `character 'é' at position 4`)
	assert.ErrorContains(t, ValidateName("a/b"), `character '/' at position 2`)
}

func TestExposureOf(t *testing.T) {
	for state, want := range map[string]Exposure{
		"scheduled none POST": ExposureScheduled, "scheduled admin GET": ExposureScheduled,
		"public none POST": ExposureOpen, "public user POST": ExposureUsers, "public admin GET": ExposureAdmins,
	} {
		assert.Equal(t, want, ExposureOf(*workflowFor(t, state)), state)
	}
}

func TestParseInputs(t *testing.T) {
	m, err := ParseMethod("get")
	assert.NoError(t, err)
	assert.Equal(t, MethodGET, m)
	_, err = ParseMethod("PUT")
	assert.ErrorContains(t, err, `invalid method "PUT"`)
	_, err = ParseAuth("admins")
	assert.ErrorContains(t, err, `invalid auth "admins"`)
	_, err = ParseSeverity("critical")
	assert.ErrorContains(t, err, `invalid severity "critical"`)
}
