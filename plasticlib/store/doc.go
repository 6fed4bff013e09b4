// Package store saves and loads plasticlib's objects: networks, rules and
// learning histories. Configurations, rules and scalars are JSON (rules
// with their coefficient rows one per line); arrays (J, WIn, errors,
// recorded activity, ...) are NumPy .npy files written with
// github.com/sbinet/npyio, so Python users open them with numpy.load.
//
// A network or a history is a directory; a rule is one JSON file. Loading
// validates what it reads and checks array shapes against the
// configuration, returning errors that name the file.
//
// Layer: above network, rule and learn; imports nothing from kernel/.
package store
