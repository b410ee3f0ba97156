package plivo

// StringToSignV3 exposes the V3 string to sign to the tests.
var StringToSignV3 = stringToSignV3
