package inbox

// Channel is one of our numbers as the team sees it: an inbox with a name.
type Channel struct {
	Number Number
	// Name is the inbox's name ("Support"); the number, formatted, when
	// none was given.
	Name string
}

// Channels returns our numbers as inboxes, in configured order.
func (s *Service) Channels() []Channel {
	out := make([]Channel, len(s.numbers))
	for i, n := range s.numbers {
		out[i] = Channel{Number: n, Name: s.ChannelName(n)}
	}
	return out
}

// ChannelName is the name of the inbox n is: its configured name, or the
// number formatted.
func (s *Service) ChannelName(n Number) string {
	if name := s.names[n]; name != "" {
		return name
	}
	return n.Display()
}
