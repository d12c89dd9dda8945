package model

import "fmt"

// Method is the HTTP method a workflow answers to; Bubble offers only POST
// and GET, and a call with any other method is refused.
type Method string

// The two methods an API workflow can be triggered with.
const (
	MethodPOST Method = "POST"
	MethodGET  Method = "GET"
)

// Valid reports whether m is one of the methods a workflow may have.
func (m Method) Valid() bool { return m == MethodPOST || m == MethodGET }

// ParseMethod accepts a method in any letter case, since users type "get" as
// often as "GET", and names the bad value otherwise.
func ParseMethod(s string) (Method, error) {
	switch s {
	case "POST", "post", "Post":
		return MethodPOST, nil
	case "GET", "get", "Get":
		return MethodGET, nil
	}
	return "", fmt.Errorf("invalid method %q: use POST or GET", s)
}
