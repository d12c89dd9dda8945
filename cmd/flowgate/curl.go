package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/url"
	"strconv"
	"strings"
	"unicode"

	"github.com/spf13/cobra"

	"flowgate/model"
)

// defaultBaseURL is where `flowgate serve` listens unless told otherwise,
// so the printed call works against a local checker as it is.
const defaultBaseURL = "http://127.0.0.1:8420"

func newCurlCmd() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "curl NAME [--base-url URL]",
		Short: "Print the curl command that calls a workflow: method, path, token header and parameters",
		Long: "Print the exact call for a workflow: its method and path, an Authorization header when its\n" +
			"Authentication needs a token (with a comment saying which kind), and a JSON body (POST) or\n" +
			"query (GET) with a placeholder for each parameter. The token is read from $FLOWGATE_TOKEN\n" +
			"when the command runs, so it never lands in the shell history. A workflow that is not public\n" +
			"is not callable over HTTP: then nothing is printed and the exit code is 1.",
		Args: exactlyOneName,
		RunE: runCurl,
	}
	cmd.Flags().String("base-url", defaultBaseURL, "scheme and host the call goes to (flowgate serve, or the gateway in front of it)")
	return cmd
}

func runCurl(cmd *cobra.Command, args []string) error {
	raw, _ := cmd.Flags().GetString("base-url")
	base, err := linkBase(raw)
	if err != nil {
		return err
	}
	s, w, err := openWorkflow(cmd, args[0])
	if err != nil {
		return err
	}
	s.Close()
	if !w.Public {
		return fail(1, "%s is scheduled-only (not public): it is not callable over HTTP; make it public with `flowgate set %s --public`", w.Name, w.Name)
	}
	fmt.Fprint(cmd.OutOrStdout(), curlCommand(w, base))
	return nil
}

// curlCommand is the shell text that calls the public workflow w at base.
// Every value from the settings (parameter keys and types come from
// imported files) is quoted for the shell, and comments hold no control
// characters, so pasting the text runs this one curl and nothing else.
func curlCommand(w model.Workflow, base string) string {
	var b strings.Builder
	fmt.Fprintf(&b, "# %s /api/1.1/wf/%s: %s\n", w.Method, w.Name, w.Auth.Label())
	b.WriteString("# " + tokenNeeded(w.Auth) + "\n")
	if len(w.Parameters) > 0 {
		b.WriteString("# parameters: " + parameterSummary(w.Parameters) + "\n")
	}
	var query, body []model.Parameter
	for _, p := range w.Parameters {
		if p.In == model.ParamInQuery || w.Method == model.MethodGET { // a GET has no body
			query = append(query, p)
		} else {
			body = append(body, p)
		}
	}
	target := base + "/api/1.1/wf/" + w.Name
	if len(query) > 0 {
		target += "?" + queryTemplate(query)
	}
	lines := []string{"curl -X " + string(w.Method) + " " + shellQuote(target)}
	if w.Auth != model.AuthNone {
		lines = append(lines, `-H "Authorization: Bearer $FLOWGATE_TOKEN"`)
	}
	if len(body) > 0 {
		lines = append(lines, "-H 'Content-Type: application/json'", "-d "+shellQuote(bodyTemplate(body)))
	}
	b.WriteString(strings.Join(lines, " \\\n  ") + "\n")
	return b.String()
}

// emptyTokenGets says what the printed command gets while $FLOWGATE_TOKEN
// is unset: it still sends the header, and an empty Bearer is malformed.
const emptyTokenGets = "unset, an empty Bearer is sent: 400"

// tokenNeeded says which kind of token the Authentication choice asks for.
func tokenNeeded(a model.Auth) string {
	switch a {
	case model.AuthNone:
		return "anyone may call it: no token needed"
	case model.AuthAdmin:
		return "needs an admin token in $FLOWGATE_TOKEN (flowgate token create --admin); a user token gets 403; " + emptyTokenGets
	default:
		return "needs a user or admin token in $FLOWGATE_TOKEN (flowgate token create --user ID, or --admin); " + emptyTokenGets
	}
}

// parameterSummary lists the parameters with their types for a comment.
func parameterSummary(ps []model.Parameter) string {
	parts := make([]string, len(ps))
	for i, p := range ps {
		parts[i] = commentSafe(p.Key) + " (" + commentSafe(p.Type) + flag(p.IsList, ", list") + flag(p.Optional, ", optional") + ")"
	}
	return strings.Join(parts, ", ")
}

// queryTemplate is the query string with a placeholder per parameter.
func queryTemplate(ps []model.Parameter) string {
	parts := make([]string, len(ps))
	for i, p := range ps {
		parts[i] = url.QueryEscape(p.Key) + "=" + url.QueryEscape(placeholderText(p))
	}
	return strings.Join(parts, "&")
}

// bodyTemplate is the JSON body with a placeholder per parameter, in the
// order the workflow declares them.
func bodyTemplate(ps []model.Parameter) string {
	var b bytes.Buffer
	b.WriteByte('{')
	for i, p := range ps {
		if i > 0 {
			b.WriteString(", ")
		}
		key, _ := json.Marshal(p.Key)
		b.Write(key)
		b.WriteString(": ")
		b.WriteString(placeholderJSON(p))
	}
	b.WriteByte('}')
	return b.String()
}

// placeholderJSON is a JSON value of the parameter's type: 0 for a number,
// false for yes/no, else a string naming the value to put there; a list
// holds one of them.
func placeholderJSON(p model.Parameter) string {
	var v string
	switch paramKind(p.Type) {
	case "number":
		v = "0"
	case "boolean":
		v = "false"
	default:
		s, _ := json.Marshal(placeholderText(p))
		v = string(s)
	}
	if p.IsList {
		return "[" + v + "]"
	}
	return v
}

// placeholderText is the value as text: the key in capitals for a text
// value (EMAIL for email), 0 or false for a number or yes/no.
func placeholderText(p model.Parameter) string {
	switch paramKind(p.Type) {
	case "number":
		return "0"
	case "boolean":
		return "false"
	}
	return strings.Map(func(r rune) rune {
		if r < unicode.MaxASCII && (unicode.IsLetter(r) || unicode.IsDigit(r)) {
			return unicode.ToUpper(r)
		}
		return '_'
	}, p.Key)
}

// paramKind folds the type names Bubble exports into number, boolean or
// anything else.
func paramKind(t string) string {
	switch strings.ToLower(strings.ReplaceAll(t, " ", "")) {
	case "number", "numeric", "integer":
		return "number"
	case "yes/no", "boolean", "yes_no", "bool":
		return "boolean"
	}
	return ""
}

// shellQuote quotes s for a POSIX shell: inside single quotes nothing is
// special but the quote itself.
func shellQuote(s string) string {
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}

// commentSafe keeps s on a shell comment line: text with a line break or
// any other unprintable character is shown Go-quoted instead.
func commentSafe(s string) string {
	if strings.IndexFunc(s, func(r rune) bool { return !unicode.IsPrint(r) }) >= 0 {
		return strconv.Quote(s)
	}
	return s
}
