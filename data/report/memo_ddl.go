package report

import "liaisondesk/data"

// memoDDL is the memorandum's paragraph on the officer's DDL: the NDP-1
// category of what was disclosed and, when the officer received
// information beyond the DDL, the justification the save required
// (data.CheckDDL). An exchange with neither has no such paragraph.
func memoDDL(e *data.Exchange) []para {
	if e.NDPCategory == "" && e.DDLJustification == "" {
		return nil
	}
	text := ""
	if e.NDPCategory != "" {
		text = "NDP-1 category " + e.NDPCategory + "."
	}
	if e.DDLJustification != "" {
		if text != "" {
			text += "\n"
		}
		text += "Received beyond the DDL; justification: " + e.DDLJustification
	}
	return []para{{"Disclosure authority (DDL)", text}}
}
