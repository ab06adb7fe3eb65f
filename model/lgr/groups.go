package lgr

import (
	"fmt"
	"strings"
)

// GroupModes are the ways inputs can be grouped for sensitivity analysis.
var GroupModes = []string{"category", "kind", "none"}

// GroupKey names the sensitivity group of an input in the given mode:
//
//   - "none": every input alone;
//   - "category" (default): one group per system category
//     (systems.finance_erp), workforce function, item, risk or indicator;
//     every predecessor's FTE of one kind together (predecessors.*.back_office_fte);
//     the democracy inputs together; each overrun factor alone;
//   - "kind": one group per kind of input across categories, e.g. all
//     licence costs (systems.*.licence), all migration costs, all contract
//     end years, each workforce parameter across functions.
func GroupKey(mode, name string) (string, error) {
	seg := strings.Split(name, ".")
	switch mode {
	case "none":
		return name, nil
	case "category", "":
		switch seg[0] {
		case "systems", "workforce", "items", "risks", "quality", "savings", "cost_bases":
			if len(seg) >= 2 {
				return seg[0] + "." + seg[1], nil
			}
		case "predecessors":
			return "predecessors.*." + seg[len(seg)-1], nil
		case "democracy":
			return "democracy", nil
		}
		return name, nil
	case "kind":
		switch seg[0] {
		case "systems", "workforce", "predecessors":
			if len(seg) >= 3 {
				return seg[0] + ".*." + strings.Join(seg[2:], "."), nil
			}
		case "items", "risks", "quality", "savings", "cost_bases":
			if len(seg) >= 3 {
				return seg[0] + ".*." + seg[len(seg)-1], nil
			}
		}
		return name, nil
	}
	return "", fmt.Errorf("unknown grouping %q (use %s)", mode, strings.Join(GroupModes, ", "))
}
