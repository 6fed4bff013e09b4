package setting

import "github.com/plasticnb/plasticnb/plasticlib/network"

// paperContext turns Miconi's context-integration setting into the paper
// setting: the calibrated values under which theta_33 learns context
// integration about as fast as the paper's figure 1h reports. The search
// behind them is in notebook 04 and plasticlib/cmd/calibrate.
func paperContext(s *Setting) {
	s.Net.Readout = network.LinearReadout
}
