package demo

// Word lists for the demo data (docs/DOMAIN.md §8). Everything here is invented
// for demonstration: names, appointments, contract numbers and CAGE codes
// are plausible, not real.

// slot is a duty position a counterpart holds.
type slot struct {
	org, short, dir, appt string
	grade                 string // O4..O8, GS14, GS15, SES
	service               string // navy, army, af, usmc, civ
	nation                string // ISO 3166 alpha-3
}

// unit is where generic staff officers serve once the named slots are used
// up (large runs).
type unit struct {
	org, short, dir, branch, service string
}

// postMaterial is the material of one posting.
type postMaterial struct {
	lo        string // the Indian liaison officer there
	assistant string
	phone     string // printf pattern with one %04d
	slots     []slot
	units     []unit
	locations []string
	visits    []string
	confs     []string
	socials   []string
	exercises []string
	topics    []topic
	briefings []string // what the LO briefs the Americans on
	rfiOut    []string // questions the LO asks
	rfiIn     []string // questions the command asks India
	body      []string // posting-specific sentences
	others    []string
	nations   []string // nations of foreign counterparts
	weight    int      // share of the exchanges
	hq        string   // the Indian headquarters the officer reports to
	attache   string
	j4        string // the command's logistics desk
}

// topic is what an exchange is about: who at the command usually deals
// with it (directorates or organisations) and what is typically said.
type topic struct {
	text    string
	tags    []string
	who     []string
	details []string
}

var material = map[string]*postMaterial{
	"INDOPACOM": {
		lo:        "Col V. Rao",
		assistant: "Cdr R. Menon (Asst LO)",
		phone:     "+1 808-477-%04d",
		weight:    45,
		slots: []slot{
			{"US Indo-Pacific Command", "INDOPACOM", "J5", "Chief, Foreign Liaison Office", "O6", "army", "USA"},
			{"US Indo-Pacific Command", "INDOPACOM", "J4", "Deputy J4", "O7", "navy", "USA"},
			{"US Indo-Pacific Command", "INDOPACOM", "J5", "India Desk Officer, South Asia Policy Division", "O4", "af", "USA"},
			{"US Indo-Pacific Command", "INDOPACOM", "J5", "Chief, South Asia Policy Division", "GS15", "civ", "USA"},
			{"US Indo-Pacific Command", "INDOPACOM", "J4", "Chief, Security Cooperation and Logistics Partnerships", "O6", "usmc", "USA"},
			{"US Indo-Pacific Command", "INDOPACOM", "J7", "Chief, Joint Exercise Division", "O6", "navy", "USA"},
			{"US Indo-Pacific Command", "INDOPACOM", "J7", "Malabar Lead Planner", "O4", "navy", "USA"},
			{"US Indo-Pacific Command", "INDOPACOM", "J2", "Chief, Intelligence Partner Engagement", "GS15", "civ", "USA"},
			{"US Indo-Pacific Command", "INDOPACOM", "J3", "Chief, Current Operations", "O6", "af", "USA"},
			{"US Indo-Pacific Command", "INDOPACOM", "J6", "Chief, Coalition C4 Interoperability", "O5", "af", "USA"},
			{"US Indo-Pacific Command", "INDOPACOM", "J8", "Deputy Director for Resources and Assessments", "SES", "civ", "USA"},
			{"US Indo-Pacific Command", "INDOPACOM", "J4", "Director for Logistics, Engineering and Security Cooperation", "O8", "army", "USA"},
			{"US Pacific Fleet", "PACFLT", "N5", "Assistant Chief of Staff for Plans and Policy", "O6", "navy", "USA"},
			{"US Pacific Fleet", "PACFLT", "N3", "Maritime Patrol and Reconnaissance Force Liaison Officer", "O5", "navy", "USA"},
			{"Pacific Air Forces", "PACAF", "A5/8", "Chief, International Affairs", "O6", "af", "USA"},
			{"US Army Pacific", "USARPAC", "G3", "Deputy G3, Exercises", "O5", "army", "USA"},
			{"Marine Forces Pacific", "MARFORPAC", "G5", "Assistant Chief of Staff, G5", "O6", "usmc", "USA"},
			{"Special Operations Command Pacific", "SOCPAC", "J5", "Chief, Theater Security Cooperation", "O5", "army", "USA"},
			{"US Indo-Pacific Command", "INDOPACOM", "J1", "Deputy Chief, Personnel Exchange Programs", "GS14", "civ", "USA"},
			{"US Indo-Pacific Command", "INDOPACOM", "J2", "Director for Intelligence", "O8", "navy", "USA"},
			{"US Indo-Pacific Command", "INDOPACOM", "J5", "Deputy Director for Strategic Planning and Policy", "SES", "civ", "USA"},
			{"US Indo-Pacific Command", "INDOPACOM", "J4", "Chief, Joint Logistics Operations Center", "O6", "army", "USA"},
			{"US Pacific Fleet", "PACFLT", "N4", "Fleet Logistics Officer", "O6", "navy", "USA"},
		},
		units: []unit{
			{"US Indo-Pacific Command", "INDOPACOM", "J4", "Strategic Mobility", "army"},
			{"US Indo-Pacific Command", "INDOPACOM", "J5", "South Asia Policy", "af"},
			{"US Indo-Pacific Command", "INDOPACOM", "J7", "Exercises", "navy"},
			{"US Indo-Pacific Command", "INDOPACOM", "J3", "Maritime Operations", "navy"},
			{"US Indo-Pacific Command", "INDOPACOM", "J6", "Mission Partner Environment", "af"},
			{"US Indo-Pacific Command", "INDOPACOM", "J2", "Information Sharing", "civ"},
			{"US Pacific Fleet", "PACFLT", "N4", "Fleet Sustainment", "navy"},
			{"Pacific Air Forces", "PACAF", "A3", "Exercises", "af"},
			{"US Army Pacific", "USARPAC", "G4", "Theater Sustainment", "army"},
			{"Marine Forces Pacific", "MARFORPAC", "G3", "Exercises", "usmc"},
		},
		locations: []string{"Nimitz-MacArthur Pacific Command Center, Camp H. M. Smith", "Camp H. M. Smith, J4 conference room",
			"Camp H. M. Smith, J5 conference room", "PACFLT headquarters, Makalapa", "Fort Shafter (USARPAC headquarters)",
			"Joint Base Pearl Harbor-Hickam", "PACAF headquarters, Hickam", "Camp H. M. Smith, LO office"},
		visits: []string{"Joint Base Pearl Harbor-Hickam, P-8A squadron spaces", "Fleet Readiness Center, NAS North Island",
			"Schofield Barracks (25th Infantry Division)", "Marine Corps Base Hawaii, Kaneohe Bay",
			"Pacific Missile Range Facility, Kauai", "Joint POW/MIA Accounting Agency laboratory", "Defense Logistics Agency Distribution, Pearl Harbor"},
		confs: []string{"Indo-Pacific Chiefs of Defence Conference", "Pacific Amphibious Leaders Symposium",
			"LANPAC Symposium", "Pacific Air Chiefs Symposium", "INDOPACOM Theater Logistics Symposium", "Indo-Pacific Security Cooperation Conference"},
		socials: []string{"India Republic Day reception hosted by the LO", "PACFLT change of command reception",
			"Diwali reception, Camp H. M. Smith", "Foreign liaison officers' quarterly luncheon", "Dining-in, US Army Pacific",
			"Japan Self-Defense Forces Day reception"},
		exercises: []string{"Malabar", "Tiger Triumph", "Yudh Abhyas", "Cope India", "RIMPAC", "Sea Dragon"},
		topics: []topic{
			{"Malabar {year} planning", []string{"malabar", "navy"}, []string{"J7", "PACFLT"},
				[]string{"PACFLT proposed a longer sea phase with anti-submarine serials for P-8A and P-8I aircraft.",
					"Participation of Japanese and Australian units is still to be confirmed by their liaison officers."}},
			{"P-8I sustainment and spares pipeline", []string{"p-8i", "logistics", "sosa"}, []string{"J4", "PACFLT"},
				[]string{"Two P-8I aircraft remain on ground awaiting hydraulic components.",
					"J4 agreed to route urgent P-8I spares through the SOSA priority-support channel."}},
			{"MH-60R follow-on support", []string{"mh-60r", "logistics"}, []string{"J4", "PACFLT"},
				[]string{"The follow-on support case for MH-60R rotables expires next year; a new letter of request is needed.",
					"Depot repair turnaround for main rotor dampers remains the main constraint."}},
			{"maritime domain awareness information sharing in the IOR", []string{"mda"}, []string{"J2", "J3", "PACFLT"},
				[]string{"The US side offered additional white-shipping feeds through IFC-IOR.",
					"Releasability of radar tracks below SECRET remains under review."}},
			{"HADR coordination for the Bay of Bengal cyclone season", []string{"hadr"}, []string{"J3", "J4", "MARFORPAC"},
				[]string{"Pre-positioned HADR stores at Visakhapatnam and Guam were compared.",
					"Both sides agreed to test the notification chain before the season starts."}},
			{"Tiger Triumph {year} scenario development", []string{"tiger-triumph", "hadr"}, []string{"J7", "MARFORPAC", "USARPAC"},
				[]string{"The scenario will combine an amphibious landing with a medical evacuation serial.",
					"MARFORPAC asked whether Indian Army medical teams can join the field hospital."}},
			{"Cope India {year} air component planning", []string{"cope-india", "air"}, []string{"PACAF", "J7"},
				[]string{"PACAF plans to deploy fighter and tanker aircraft to Kalaikunda.",
					"Airspace and frequency clearances must be requested three months ahead."}},
			{"Yudh Abhyas {year} logistics", []string{"yudh-abhyas", "army"}, []string{"USARPAC", "J4"},
				[]string{"USARPAC needs a customs clearance list for weapons and vehicles.",
					"Accommodation at the exercise location is limited to about 400 personnel."}},
			{"LEMOA fuel and replenishment reimbursement", []string{"lemoa", "logistics"}, []string{"J4", "PACFLT"},
				[]string{"Three fuel invoices under LEMOA are still outstanding.",
					"J4 proposed a quarterly reconciliation meeting with the Indian Navy."}},
			{"COMCASA secure communications equipment", []string{"comcasa", "c4"}, []string{"J6"},
				[]string{"Additional CENTRIXS terminals for Indian ships are awaiting export approval.",
					"Key management arrangements will be reviewed at the next J6 working group."}},
			{"Sea Dragon {year} anti-submarine warfare serials", []string{"sea-dragon", "asw", "p-8i"}, []string{"PACFLT", "J7"},
				[]string{"The Indian Navy would send one P-8I with a full crew to Guam.",
					"Sonobuoy allocation for the serials must be agreed before the main planning conference."}},
			{"RIMPAC {year} Indian Navy participation", []string{"rimpac", "navy"}, []string{"PACFLT", "J7"},
				[]string{"An Indian frigate and a P-8I are pencilled in.",
					"Berthing at Pearl Harbor will be confirmed after the final planning conference."}},
			{"SOSA priority-support requests for {platform}", []string{"sosa", "dpas"}, []string{"J4"},
				[]string{"J4 said OUSD(A&S) now aims to make program determinations within ten working days.",
					"The LO asked for a weekly status of Indian requests awaiting rating authorisation.",
					"{cp} noted that the J4 SOSA cell now tracks Indian requests weekly."}},
			{"MQ-9B induction and training pipeline", []string{"mq-9b"}, []string{"PACFLT", "J3"},
				[]string{"Pilot and sensor-operator training slots in the US are the main constraint.",
					"The US side offered a mobile training team for maintainers."}},
			{"GE F404/F414 engine deliveries for Tejas", []string{"f404", "tejas", "sosa"}, []string{"J4", "J8"},
				[]string{"Engine deliveries are about two quarters behind the contract schedule.",
					"The LO explained the impact on Tejas Mk1A deliveries to the Indian Air Force."}},
			{"PME seats at US war colleges", []string{"pme"}, []string{"J1"},
				[]string{"Two seats at the Naval War College and one at the Army War College are offered for next year.",
					"Nominations are due to J1 four months before the course starts."}},
			{"undersea domain awareness cooperation", []string{"asw", "mda"}, []string{"J2", "PACFLT"},
				[]string{"Both sides agreed to exchange unclassified oceanographic data first.",
					"The US side proposed a staff talk on undersea sensors next quarter."}},
			{"port-visit schedule for US ships in Indian ports", []string{"port-visit", "navy"}, []string{"PACFLT", "J5"},
				[]string{"Port calls at Chennai and Kochi are requested for two US ships.",
					"Diplomatic clearance requests must reach New Delhi 45 days ahead."}},
			{"C-17 and C-130J fleet support", []string{"c-17", "c-130j", "logistics"}, []string{"J4", "PACAF"},
				[]string{"Fleet availability has improved since the last sustainment review.",
					"PACAF offered a maintenance team visit to Hindan."}},
			{"AH-64E and CH-47F spares under DPAS", []string{"ah-64e", "ch-47f", "dpas"}, []string{"J4", "USARPAC"},
				[]string{"Two AH-64E rotor-blade orders are waiting for supplier acceptance.",
					"USARPAC offered to lend CH-47F tooling while the rated orders are processed."}},
		},
		briefings: []string{"Indian Navy operations in the Indian Ocean Region", "the Indian Defence Acquisition Procedure 2020",
			"the Indian Code of Conduct for SOSA priority support", "Indian Armed Forces HADR capabilities",
			"the P-8I operating concept and fleet availability", "Indian Army aviation: AH-64E and CH-47F induction",
			"the Tejas Mk1A programme and F404 engine deliveries"},
		rfiOut: []string{
			"Request current depot-level repair turnaround times for MH-60R components and whether Indian Navy items can be inducted ahead of the queue.",
			"Request confirmation of the delivery schedule for P-8I mission-system upgrade kits.",
			"Request the list of US participating units and ship-days for Malabar {year}.",
			"Request the US position on Indian participation in the RIMPAC {year} sea phase, including submarine serials.",
			"Request HADR stockpile locations in the Indian Ocean available under LEMOA.",
			"Request the point of contact in OUSD(A&S) for program determinations on Indian SOSA requests.",
			"Request the F404-GE-IN20 engine delivery forecast for the next two quarters.",
		},
		rfiIn: []string{
			"Request Indian Navy port-call availability at Visakhapatnam and Kochi for US ships in {month}.",
			"Request IHQ MoD views on co-hosting the Pacific Amphibious Leaders Symposium.",
			"Request Indian Army nominations and equipment list for Yudh Abhyas {year}.",
			"Request ship repair slots at Cochin Shipyard for a Military Sealift Command auxiliary next quarter.",
			"Request Indian Air Force aircraft numbers and deployment dates for Cope India {year}.",
			"Request the Indian Navy's preferred serials for Sea Dragon {year}.",
		},
		body: []string{
			"The LO explained the IHQ MoD approval chain and MoD (Fin) concurrence timelines.",
			"Discussion covered releasability under COMCASA and the need for written requests for classified material.",
		},
		others: []string{"Base access and ID card renewal with INDOPACOM security", "Counterpart register updated after the J-staff rotation",
			"Travel orders for the {exercise} {year} planning conference", "Monthly report to HQ IDS prepared", "Weekly activity report sent to HQ IDS"},
		hq:      "HQ IDS (International Cooperation)",
		attache: "Defence Attaché, Washington",
		j4:      "INDOPACOM J4 desk",
	},
	"SOCOM": {
		lo:        "Col P. Singh",
		assistant: "Lt Col A. Thakur (Asst LO)",
		phone:     "+1 813-826-%04d",
		weight:    25,
		slots: []slot{
			{"US Special Operations Command", "USSOCOM", "J3-I", "Director, International SOF Coordination Center", "O6", "army", "USA"},
			{"US Special Operations Command", "USSOCOM", "J3-I", "South Asia Desk Officer", "O4", "usmc", "USA"},
			{"US Special Operations Command", "USSOCOM", "J5", "Deputy J5, Strategy, Plans and Policy", "SES", "civ", "USA"},
			{"US Special Operations Command", "USSOCOM", "J4", "Deputy J4, Logistics", "GS15", "civ", "USA"},
			{"US Special Operations Command", "USSOCOM", "J7", "Chief, Partner Training Branch", "O5", "af", "USA"},
			{"US Special Operations Command", "USSOCOM", "SOF AT&L", "Director, Acquisition Logistics", "SES", "civ", "USA"},
			{"US Army Special Operations Command", "USASOC", "G3", "Deputy G3, International Engagement", "O5", "army", "USA"},
			{"Naval Special Warfare Command", "NSWC", "N3", "Director of Operations", "O6", "navy", "USA"},
			{"Air Force Special Operations Command", "AFSOC", "A3", "Chief, Partner Engagement", "O5", "af", "USA"},
			{"Marine Forces Special Operations Command", "MARSOC", "G3", "Assistant Chief of Staff, G3", "O5", "usmc", "USA"},
			{"Joint Special Operations University", "JSOU", "", "Dean, College of Special Operations", "GS15", "civ", "USA"},
			{"Joint Special Operations University", "JSOU", "", "Director, International Programs", "O5", "army", "USA"},
			{"US Special Operations Command", "USSOCOM", "J2", "Partner Intelligence Sharing Officer", "O4", "af", "USA"},
			{"US Special Operations Command", "USSOCOM", "J7", "Chief, Exercise Division", "O5", "army", "USA"},
			{"US Special Operations Command", "USSOCOM", "SG", "Chief, Medical Plans, Office of the Command Surgeon", "O5", "navy", "USA"},
			{"US Special Operations Command", "USSOCOM", "", "Chief of Staff", "O8", "usmc", "USA"},
			{"US Special Operations Command", "USSOCOM", "", "Director, Commander's Action Group", "O6", "navy", "USA"},
			{"US Special Operations Command", "USSOCOM", "J6", "Chief, Coalition Networks Branch", "GS14", "civ", "USA"},
			{"US Special Operations Command", "USSOCOM", "J5", "Security Cooperation Program Manager", "GS14", "civ", "USA"},
			{"US Special Operations Command", "USSOCOM", "J3", "Deputy Director of Operations", "O7", "army", "USA"},
			{"US Special Operations Command", "USSOCOM", "J3-I", "Chief, Foreign Liaison Office", "O6", "af", "USA"},
			{"Naval Special Warfare Command", "NSWC", "N7", "Training Program Manager", "O4", "navy", "USA"},
		},
		units: []unit{
			{"US Special Operations Command", "USSOCOM", "J3-I", "International Engagement", "army"},
			{"US Special Operations Command", "USSOCOM", "J5", "Partner Strategy", "af"},
			{"US Special Operations Command", "USSOCOM", "J7", "Training and Exercises", "navy"},
			{"US Special Operations Command", "USSOCOM", "SOF AT&L", "Program Executive Office", "civ"},
			{"US Army Special Operations Command", "USASOC", "G3", "Operations", "army"},
			{"Naval Special Warfare Command", "NSWC", "N5", "Plans", "navy"},
			{"Air Force Special Operations Command", "AFSOC", "A5", "Plans and Requirements", "af"},
			{"Marine Forces Special Operations Command", "MARSOC", "G5", "Plans", "usmc"},
			{"Joint Special Operations University", "JSOU", "", "International Programs", "civ"},
		},
		locations: []string{"USSOCOM headquarters, MacDill AFB", "International SOF Coordination Center, MacDill AFB",
			"Joint Special Operations University, MacDill AFB", "USSOCOM J3-I conference room", "LO office, ISCC"},
		visits: []string{"Fort Bragg, North Carolina (USASOC)", "Hurlburt Field, Florida (AFSOC)", "Naval Amphibious Base Coronado (NSWC)",
			"Camp Lejeune, North Carolina (MARSOC)", "John F. Kennedy Special Warfare Center and School", "Special Operations Forces Acquisition, Technology and Logistics, Tampa"},
		confs: []string{"SOF Week, Tampa", "International SOF Coordination Center annual conference", "JSOU International Partner Symposium",
			"Global SOF Foundation symposium"},
		socials: []string{"ISCC foreign liaison officers' dinner", "SOF Week international reception", "India Independence Day reception, Tampa",
			"USSOCOM change of command reception", "Diwali evening hosted by the LO"},
		exercises: []string{"Vajra Prahar", "Tiger Triumph"},
		topics: []topic{
			{"Vajra Prahar {year} planning", []string{"vajra-prahar", "sof"}, []string{"J7", "USASOC", "J3-I"},
				[]string{"The exercise will alternate between airborne and waterborne serials.",
					"US team strength is planned at about 45.", "{cp} proposed aligning Vajra Prahar {year} with the Indian training calendar."}},
			{"JSOU course nominations for FY{yy}", []string{"jsou", "training"}, []string{"JSOU"},
				[]string{"JSOU offers international seats on the Combating Terrorism and SOF Interagency courses.",
					"Nominations must include security clearances and English language test scores.",
					"JSOU can offer two more international seats if nominations arrive early."}},
			{"combat diving and maritime SOF exchange with NSWC", []string{"nsw", "maritime-sof"}, []string{"NSWC"},
				[]string{"NSWC proposed a combined diving serial with MARCOS off Goa.",
					"Equipment compatibility for closed-circuit rebreathers needs checking."}},
			{"SOF aviation support: C-130J and CH-47F", []string{"afsoc", "c-130j", "ch-47f"}, []string{"AFSOC", "J4"},
				[]string{"AFSOC offered to share night-vision low-level procedures.",
					"Indian C-130J crews could join an AFSOC exercise as observers."}},
			{"counter-terrorism information sharing", []string{"ct", "intelligence"}, []string{"J2", "J3-I"},
				[]string{"Both sides agreed to route products through the established intelligence channel.",
					"The US side asked for Indian assessments of regional threat groups."}},
			{"SOF medical training and tactical combat casualty care", []string{"medical", "training"}, []string{"SG", "J7"},
				[]string{"The Command Surgeon offered a TCCC instructor course for Indian medics.",
					"A combined medical serial could be added to Vajra Prahar."}},
			{"MARSOC–MARCOS partnership", []string{"marsoc", "marcos"}, []string{"MARSOC"},
				[]string{"MARSOC proposed a small-team exchange next quarter.",
					"MARCOS interest is in maritime interdiction and visit, board, search and seizure."}},
			{"Para (SF) airborne qualification equivalence", []string{"airborne", "army"}, []string{"USASOC", "AFSOC"},
				[]string{"Recognition of Indian jump qualifications would allow combined jumps.",
					"USASOC will send the US standards for comparison."}},
			{"International SOF Coordination Center membership", []string{"iscc"}, []string{"J3-I"},
				[]string{"The ISCC hosts liaison officers from more than 20 nations.",
					"An Indian officer could join the ISCC staff on a two-year tour."}},
			{"SOF Week international panel", []string{"sof-week"}, []string{"J3-I", "J5"},
				[]string{"The panel will discuss SOF in competition below armed conflict.",
					"Speakers must be confirmed six weeks before the event."}},
			{"unmanned systems for special operations", []string{"uas", "mq-9b"}, []string{"SOF AT&L", "AFSOC"},
				[]string{"SOF AT&L described counter-drone work at small-unit level.",
					"Indian interest is in small unmanned aircraft for reconnaissance."}},
			{"Tiger Triumph {year} SOF element", []string{"tiger-triumph", "sof"}, []string{"J7", "J3"},
				[]string{"The SOF element would secure the landing beach ahead of the main force.",
					"MARCOS and US SEALs would plan together during the harbour phase."}},
			{"priority support for SOF-peculiar equipment", []string{"sosa", "dpas"}, []string{"SOF AT&L", "J4"},
				[]string{"SOF AT&L explained how SOF-peculiar items are rated under DPAS.",
					"The LO outlined the Indian Code of Conduct for firms supplying SOF items."}},
		},
		briefings: []string{"Indian special forces: Para (SF), MARCOS and Garud", "the Indian approval process for Vajra Prahar",
			"Indian counter-terrorism organisation", "the Indian Code of Conduct for SOSA priority support"},
		rfiOut: []string{
			"Request the JSOU course calendar and international seat allocation for FY{yy}.",
			"Request AFSOC criteria for recognising Indian airborne qualifications for joint jumps.",
			"Request the US team composition and equipment list for Vajra Prahar {year}.",
			"Request releasable lessons learned from recent SOF partner exercises in the region.",
		},
		rfiIn: []string{
			"Request Indian special forces team composition and dates for Vajra Prahar {year}.",
			"Request an Indian speaker for the SOF Week international panel.",
			"Request Indian nominations for the JSOU Combating Terrorism course.",
			"Request Indian views on a combined SOF medical training event next quarter.",
		},
		body: []string{
			"The LO outlined the Indian clearance process for foreign SOF training on Indian soil.",
			"Both sides want the next step agreed before the ISCC conference.",
		},
		others: []string{"ISCC building access renewal", "Travel orders for the Vajra Prahar {year} site survey",
			"Counterpart register updated after the summer rotation", "Monthly report to IHQ MoD (Army) prepared", "Weekly activity report sent to IHQ MoD (Army)"},
		hq:      "IHQ MoD (Army)",
		attache: "Defence Attaché, Washington",
		j4:      "SOCOM J4 desk",
	},
	"CMF": {
		lo:        "Capt (IN) K. Nair",
		assistant: "Cdr S. Iyer (Asst LO)",
		phone:     "+973 1785-%04d",
		weight:    30,
		nations:   []string{"GBR", "AUS", "JPN", "FRA", "BHR"},
		slots: []slot{
			{"Combined Maritime Forces", "CMF", "", "Deputy Commander", "O7", "navy", "GBR"},
			{"Combined Maritime Forces", "CMF", "", "Chief of Staff", "O6", "navy", "USA"},
			{"Combined Maritime Forces", "CMF", "CTF 150", "Commander, CTF 150", "O7", "navy", "AUS"},
			{"Combined Maritime Forces", "CMF", "CTF 150", "Chief of Staff, CTF 150", "O5", "navy", "FRA"},
			{"Combined Maritime Forces", "CMF", "CTF 151", "Commander, CTF 151", "O7", "navy", "JPN"},
			{"Combined Maritime Forces", "CMF", "CTF 151", "Operations Officer, CTF 151", "O4", "navy", "JPN"},
			{"Combined Maritime Forces", "CMF", "CTF 152", "Commander, CTF 152", "O6", "navy", "BHR"},
			{"Combined Maritime Forces", "CMF", "CTF 153", "Commander, CTF 153", "O6", "navy", "USA"},
			{"Combined Maritime Forces", "CMF", "CTF 154", "Commander, CTF 154", "O6", "navy", "GBR"},
			{"Combined Maritime Forces", "CMF", "N3", "Future Operations Officer", "O5", "navy", "USA"},
			{"Combined Maritime Forces", "CMF", "", "Liaison Officer Coordinator", "O5", "navy", "GBR"},
			{"Combined Maritime Forces", "CMF", "N2", "Deputy N2, Maritime Domain Awareness", "O4", "navy", "USA"},
			{"Combined Maritime Forces", "CMF", "CTF 154", "Lead Planner, Training Events", "O4", "navy", "FRA"},
			{"Combined Maritime Forces", "CMF", "N6", "Information Sharing Manager", "GS14", "civ", "USA"},
			{"Combined Maritime Forces", "CMF", "", "Legal Adviser", "O5", "navy", "GBR"},
			{"US Naval Forces Central Command", "NAVCENT", "N4", "Assistant Chief of Staff, Logistics", "O6", "navy", "USA"},
			{"Combined Maritime Forces", "CMF", "CTF 153", "Deputy Commander, CTF 153", "O5", "navy", "USA"},
			{"NAVSUP Fleet Logistics Center Bahrain", "NAVSUP FLC Bahrain", "", "Ship Repair Contracting Officer", "GS14", "civ", "USA"},
			{"Combined Maritime Forces", "CMF", "N5", "Chief Staff Officer, Plans", "O6", "navy", "AUS"},
			{"US Naval Forces Central Command", "NAVCENT", "N5", "Deputy N5, Partnerships", "GS15", "civ", "USA"},
			{"Combined Maritime Forces", "CMF", "CTF 152", "Operations Officer, CTF 152", "O4", "navy", "BHR"},
			{"US Naval Forces Central Command", "NAVCENT", "", "Deputy Commander", "O8", "navy", "USA"},
		},
		units: []unit{
			{"Combined Maritime Forces", "CMF", "CTF 150", "Operations", "navy"},
			{"Combined Maritime Forces", "CMF", "CTF 151", "Operations", "navy"},
			{"Combined Maritime Forces", "CMF", "CTF 152", "Plans", "navy"},
			{"Combined Maritime Forces", "CMF", "CTF 153", "Current Operations", "navy"},
			{"Combined Maritime Forces", "CMF", "CTF 154", "Training", "navy"},
			{"Combined Maritime Forces", "CMF", "N3", "Battle Watch", "navy"},
			{"US Naval Forces Central Command", "NAVCENT", "N4", "Logistics", "navy"},
		},
		locations: []string{"CMF headquarters, NSA Bahrain", "NSA Bahrain, CMF conference room", "NAVCENT headquarters, NSA Bahrain",
			"Mina Salman pier", "Embassy of India, Manama", "LO office, CMF headquarters"},
		visits: []string{"INS Tarkash alongside Mina Salman", "INS Kolkata alongside Mina Salman", "USS Lewis B. Puller at Mina Salman",
			"Royal Bahrain Naval Force headquarters", "UKMTO operations room", "Khalifa bin Salman Port", "INS Sumedha alongside Mina Salman"},
		confs: []string{"SHADE (Shared Awareness and Deconfliction) conference", "CMF Commanders' Conference",
			"IISS Manama Dialogue side event", "Maritime Security Symposium, Manama"},
		socials: []string{"India Republic Day reception, Embassy of India, Manama", "CTF 151 change of command ceremony",
			"Bahrain National Day reception", "CMF partner nations' dinner", "Diwali reception on board INS Kolkata"},
		exercises: []string{"IMX", "Malabar"},
		topics: []topic{
			{"CTF 150 maritime security patrol schedule", []string{"ctf-150", "maritime-security"}, []string{"CTF 150"},
				[]string{"CTF 150 asked whether an Indian ship could join a focused operation in the Gulf of Oman.",
					"Patrol areas will be adjusted after the monsoon."}},
			{"CTF 151 counter-piracy operations in the Gulf of Aden", []string{"ctf-151", "piracy"}, []string{"CTF 151"},
				[]string{"Two suspicious dhows were reported in the last fortnight.",
					"CTF 151 welcomed Indian Navy reports of pirate action groups."}},
			{"CTF 152 Arabian Gulf security cooperation", []string{"ctf-152"}, []string{"CTF 152"},
				[]string{"CTF 152 described its engagement with Gulf navies.",
					"An Indian ship's port visit could include a passage exercise with CTF 152 units."}},
			{"CTF 153 Red Sea and Bab-el-Mandeb shipping protection", []string{"ctf-153", "red-sea"}, []string{"CTF 153"},
				[]string{"Attacks on merchant shipping in the southern Red Sea continue at a lower rate.",
					"CTF 153 asked for Indian Navy transit schedules through the Bab-el-Mandeb."}},
			{"CTF 154 maritime security training courses", []string{"ctf-154", "training"}, []string{"CTF 154"},
				[]string{"CTF 154 offers courses in boarding, maritime law and information sharing.",
					"Indian Navy instructors could teach on the next course."}},
			{"Indian Navy mission-based deployment deconfliction", []string{"deconfliction", "navy"}, []string{"N3", "CMF"},
				[]string{"Indian ships on mission-based deployment will share positions daily.",
					"Both sides agreed a single point of contact for deconfliction.",
					"{cp} asked for earlier notice of Indian warship movements through the Bab-el-Mandeb."}},
			{"narcotics interdiction boardings and evidence handling", []string{"narcotics", "boarding"}, []string{"CTF 150", "CMF"},
				[]string{"Evidence from recent seizures must be handled under the flag state's laws.",
					"The Legal Adviser explained CMF's disposal process for seized narcotics."}},
			{"IFC-IOR and CMF white-shipping information exchange", []string{"mda", "ifc-ior"}, []string{"N2", "N6"},
				[]string{"CMF would like daily white-shipping data from IFC-IOR.",
					"Data formats and releasability need to be agreed first."}},
			{"merchant-vessel incident reporting through UKMTO", []string{"ukmto", "mda"}, []string{"N3", "N2"},
				[]string{"Reporting by Indian-flagged ships has improved since the last SHADE meeting.",
					"UKMTO asked for contacts at Indian shipping companies."}},
			{"Indian Navy participation in IMX {year}", []string{"imx"}, []string{"N5", "N3"},
				[]string{"NAVCENT expects more than 30 nations for IMX {year}.",
					"The Indian Navy is considering a frigate and a clearance diving team."}},
			{"voyage repair of US Navy ships at Indian yards", []string{"ship-repair", "sosa"}, []string{"NAVSUP FLC Bahrain", "N4"},
				[]string{"Two Military Sealift Command ships could use Indian yards next quarter.",
					"Master Ship Repair Agreements now cover Cochin Shipyard, Mazagon Dock and L&T Kattupalli."}},
			{"SHADE conference preparation", []string{"shade"}, []string{"CMF", "N3"},
				[]string{"India is asked to co-chair one SHADE working group.",
					"The agenda will cover the Red Sea and the Gulf of Aden."}},
			{"threat to merchant shipping in the southern Red Sea", []string{"red-sea", "threat"}, []string{"CTF 153", "N2"},
				[]string{"The threat from one-way attack drones and anti-ship missiles remains.",
					"Shipping companies are still rerouting around the Cape of Good Hope."}},
			{"logistics support for Indian warships in Bahrain", []string{"logistics", "lemoa"}, []string{"N4", "NAVSUP FLC Bahrain"},
				[]string{"Fuel and provisions for Indian ships can be arranged under LEMOA.",
					"Berthing at Mina Salman must be requested ten days ahead."}},
		},
		briefings: []string{"Indian Navy anti-piracy deployments since 2008", "the role and products of IFC-IOR, Gurugram",
			"Indian Navy mission-based deployments in the Arabian Sea", "the Indian Code of Conduct for SOSA priority support"},
		rfiOut: []string{
			"Request the CTF 151 piracy incident summary for the Gulf of Aden for the last quarter.",
			"Request the CTF 153 threat assessment for Bab-el-Mandeb transits by Indian-flagged merchant ships.",
			"Request CMF reporting procedures for Indian warships operating in direct support.",
			"Request CTF 154 course dates and seat allocation for the next training block.",
		},
		rfiIn: []string{
			"Request Indian Navy mission-based deployment ship positions for deconfliction in the Gulf of Aden.",
			"Request the IFC-IOR point of contact for white-shipping data exchange.",
			"Request Indian Navy participation in the CTF 154 maritime interdiction course.",
			"Request Indian views on hosting a CMF port visit in Mumbai.",
		},
		body: []string{
			"The LO confirmed that Indian ships remain under national command while working in direct support.",
			"Other partner liaison officers were briefed at the CMF morning update.",
		},
		others: []string{"NSA Bahrain base pass renewal", "Monthly report to IHQ MoD (Navy) prepared", "Weekly activity report sent to IHQ MoD (Navy)",
			"Berthing arrangements for INS Tarkash confirmed with the port authority"},
		hq:      "IHQ MoD (Navy) DNP",
		attache: "Defence Wing, Embassy of India, Manama",
		j4:      "NAVCENT N4 desk",
	},
}

// postingOrder fixes the order postings are filled in, for determinism.
var postingOrder = []string{"INDOPACOM", "SOCOM", "CMF"}

var ranks = map[string][]string{ // by service: O4..O8
	"navy": {"LCDR", "CDR", "CAPT", "RDML", "RADM"},
	"army": {"MAJ", "LTC", "COL", "BG", "MG"},
	"af":   {"Maj", "Lt Col", "Col", "Brig Gen", "Maj Gen"},
	"usmc": {"Maj", "LtCol", "Col", "BGen", "MajGen"},
	"GBR":  {"Lt Cdr", "Cdr", "Capt", "Cdre", "RAdm"},
	"AUS":  {"LCDR", "CMDR", "CAPT", "CDRE", "RADM"},
	"JPN":  {"Lt Cdr (JMSDF)", "Cdr (JMSDF)", "Capt (JMSDF)", "RADM (JMSDF)", "RADM (JMSDF)"},
	"FRA":  {"CC", "CF", "CV", "CA", "VA"},
	"BHR":  {"Lt Cdr", "Cdr", "Capt", "Cdre", "RAdm"},
}

type names struct{ first, last []string }

var namePools = map[string]names{
	"USA": {
		first: []string{"James", "Michael", "Robert", "David", "John", "Christopher", "Daniel", "Matthew", "Anthony", "Mark",
			"Steven", "Andrew", "Joshua", "Kevin", "Brian", "Jason", "Ryan", "Eric", "Jonathan", "Justin", "Sarah", "Jennifer",
			"Jessica", "Emily", "Elizabeth", "Michelle", "Amanda", "Melissa", "Laura", "Rebecca", "Rachel", "Katherine", "Nicole",
			"Angela", "Maria", "Carlos", "Luis", "Jose", "Kenji", "Wei", "Priya", "Andre", "Marcus", "Kimberly", "Heather", "Christina"},
		last: []string{"Smith", "Johnson", "Williams", "Brown", "Jones", "Garcia", "Miller", "Davis", "Rodriguez", "Martinez",
			"Hernandez", "Lopez", "Wilson", "Anderson", "Thomas", "Taylor", "Moore", "Jackson", "Martin", "Lee", "Thompson", "White",
			"Harris", "Clark", "Lewis", "Robinson", "Walker", "Young", "Allen", "King", "Wright", "Scott", "Torres", "Nguyen", "Hill",
			"Flores", "Green", "Adams", "Nelson", "Baker", "Hall", "Rivera", "Campbell", "Mitchell", "Carter", "Roberts", "Kim",
			"Patel", "Chen", "Okafor", "Kealoha", "Nakamura", "Sullivan", "O'Brien", "Murphy", "Reyes", "Bennett", "Brooks",
			"Foster", "Hayes", "Kowalski", "Schmidt", "Delgado"},
	},
	"GBR": {
		first: []string{"Oliver", "Harry", "George", "Thomas", "William", "Charlotte", "Sophie", "Emma", "Alistair", "Rupert", "Fiona", "Hamish", "Gareth", "Rhys"},
		last:  []string{"Hughes", "Evans", "Davies", "Fletcher", "Pemberton", "Ashworth", "MacLeod", "Griffiths", "Whitmore", "Harrington", "Forsyth"},
	},
	"AUS": {
		first: []string{"Jack", "Liam", "Mitchell", "Lachlan", "Bronwyn", "Kylie", "Brendan", "Callum", "Sienna", "Hamish"},
		last:  []string{"McKenzie", "O'Connor", "Fraser", "Gallagher", "Kelly", "Sutherland", "Bell", "Tran"},
	},
	"JPN": {
		first: []string{"Hiroshi", "Takeshi", "Kenji", "Yuki", "Daisuke", "Satoshi", "Kazuo", "Akira"},
		last:  []string{"Tanaka", "Suzuki", "Takahashi", "Watanabe", "Ito", "Yamamoto", "Kobayashi", "Sato"},
	},
	"FRA": {
		first: []string{"Pierre", "Jean-Baptiste", "Antoine", "Nicolas", "Camille", "Julien", "Mathieu", "Élodie"},
		last:  []string{"Dubois", "Moreau", "Laurent", "Lefèvre", "Girard", "Rousseau", "Fontaine", "Bertrand"},
	},
	"BHR": {
		first: []string{"Ahmed", "Khalid", "Yusuf", "Ali", "Hamad", "Abdulla", "Fatima", "Salman"},
		last:  []string{"Al-Mannai", "Al-Doseri", "Al-Jalahma", "Al-Sayed", "Al-Mahmood", "Bukhammas", "Al-Binali"},
	},
}

var genericRoles = []string{"Action Officer", "Plans Officer", "Desk Officer", "Staff Officer", "Branch Chief",
	"Deputy Branch Chief", "Liaison Officer", "Program Manager"}

// pastAppointments by service, for US counterparts.
var pastAppointments = map[string][]string{
	"navy": {"Commanding Officer, Patrol Squadron 47", "Executive Officer, USS Chafee", "Naval War College faculty",
		"Staff Officer, NATO Maritime Command", "Office of Defense Cooperation, New Delhi"},
	"army": {"Battalion Commander, 1st Special Forces Group", "Joint Staff J5, South Asia desk", "Office of Defense Cooperation, New Delhi",
		"G3 Plans, I Corps"},
	"af":   {"Deputy Commander, 353rd Special Operations Wing", "Deputy J5, US Forces Japan", "Air Attaché, Defense Attaché Office New Delhi"},
	"usmc": {"G5 Plans Officer, III Marine Expeditionary Force", "Joint Staff J5, South Asia desk", "Battalion Commander, 3rd Marines"},
	"civ":  {"OSD Policy, South and Southeast Asia", "Defense Security Cooperation Agency, India country team", "State Department, Bureau of Political-Military Affairs"},
}

var contactNotes = []string{
	"Met at the {exercise} planning conference; keen on closer interoperability.",
	"Prefers e-mail; answers within a day. Deputy covers in absence.",
	"Previously served in New Delhi; good understanding of the Indian system.",
	"Rotates out next summer; successor not yet named.",
	"Key point of contact for SOSA priority-support requests.",
	"Attends the monthly foreign liaison officers' meeting.",
}

// Exchange kinds and how often each occurs.
var kindWeights = map[string]int{"meeting": 20, "briefing_given": 6, "briefing_received": 7, "call": 14, "vtc": 8,
	"email": 14, "visit": 5, "conference": 3, "exercise": 4, "social": 4, "rfi_out": 6, "rfi_in": 5, "other": 4}

var phases = []string{"initial planning conference", "main planning conference", "final planning conference",
	"site survey", "after-action review"}

// exercisePhases are the phases that depend on the kind of exercise.
var exercisePhases = map[string][]string{
	"Malabar": {"harbour phase", "sea phase"}, "RIMPAC": {"harbour phase", "sea phase"}, "Sea Dragon": {"flying phase"},
	"IMX": {"harbour phase", "sea phase"}, "Tiger Triumph": {"harbour phase", "amphibious landing", "field training"},
	"Yudh Abhyas": {"field training", "command post exercise"}, "Vajra Prahar": {"field training", "validation exercise"},
	"Cope India": {"flying phase", "large-force employment"},
}

var platforms = []string{"P-8I", "MH-60R", "C-17", "C-130J", "AH-64E", "CH-47F", "M777", "MQ-9B", "F404/F414"}

var docs = []string{"terms of reference", "concept of operations", "agenda", "participation matrix", "information paper",
	"after-action report", "letter of request", "programme of events"}

var bodyCommon = []string{
	"Key issues were timelines, funding and points of contact on both sides.",
	"{cp} stressed that {org} wants an early read-out from IHQ MoD before the next planning milestone.",
	"{cp} asked for a single Indian point of contact.",
	"Dates are provisional until both sides confirm funding.",
	"{org} will check releasability before sharing the supporting documents.",
}

var outcomes = []string{
	"Agreed: {org} to send a draft {doc} by {date}; LO to obtain IHQ MoD comments.",
	"No commitments; follow-up VTC proposed for {date}.",
	"{cp} to confirm the {dir} point of contact by {date}.",
	"Agreed to meet monthly on {topic}.",
	"Information noted; record passed to IHQ MoD.",
	"LO to send the {doc} to {org} by {date}.",
	"LO to obtain the IHQ MoD position by {date}.",
}

var exerciseOutcomes = []string{
	"LO to confirm Indian participation figures for {exercise} {year} by {date}.",
	"{org} to confirm dates of the {exercise} {year} {phase} by {date}.",
	"Agreed to table the {doc} at the {exercise} {year} planning conference.",
}

var refOutcomes = []string{
	"Request {ref} discussed; {cp} to chase the supplier's acceptance.",
	"Status of {ref} reviewed; LO to update IHQ MoD.",
	"{cp} undertook to raise {ref} at the weekly J4 review.",
}

var rfiResponses = []string{
	"Answered in {org} letter of {date}; summary passed to IHQ MoD.",
	"Answered by e-mail: dates confirmed, details in the attached note.",
	"Partial answer received; the remainder will follow through the Defence Attaché.",
	"Answered at the weekly coordination meeting; no further action.",
}

// act is a follow-up action and whose it is: "ours" (the officer's side),
// "theirs" (the counterpart) or a named owner.
type act struct{ title, who string }

var exchangeActions = []act{
	{"Forward IHQ MoD comments on {topic} to {cp}", "ours"},
	{"Circulate record of meeting to IHQ MoD", "ours"},
	{"Send the {doc} on {topic} to {org}", "ours"},
	{"Obtain the IHQ MoD position on {topic}", "ours"},
	{"Send the draft {doc} on {topic} to the LO", "theirs"},
	{"Confirm the {dir} point of contact for {topic}", "theirs"},
	{"Arrange a follow-up VTC on {topic}", "theirs"},
}

var exerciseActions = []act{
	{"Send {exercise} {year} participation figures to {dir}", "ours"},
	{"Confirm dates of {exercise} {year} {phase}", "theirs"},
	{"Obtain diplomatic clearances for {exercise} {year}", "ours"},
	{"Concur funding for Indian participation in {exercise} {year}", "MoD (Fin)"},
}

// Priority-support requests.

type item struct {
	desc, fsc, unit string
	min, max        int      // quantity range
	suppliers       []string // firms that make it
}

type program struct {
	name     string
	symbol   string // DPAS program identification symbol
	postings []string
	endUsers []string
	contract string // contract prefix
	items    []item
	why      string
}

var (
	boeing   = []string{"Boeing Defense, Space & Security"}
	parker   = []string{"Parker Aerospace"}
	ge       = []string{"GE Aerospace"}
	yards    = []string{"Larsen & Toubro Shipbuilding", "Cochin Shipyard Ltd", "Mazagon Dock Shipbuilders"}
	tata     = []string{"Tata Advanced Systems"}
	forgings = []string{"Bharat Forge", "HAL"}
)

var inToUS = []program{
	{"P-8I", "A1", []string{"INDOPACOM", "CMF"}, []string{"INAS 312, INS Rajali", "INAS 316, INS Hansa"}, "N00019",
		[]item{{"Hydraulic pump assembly", "1650", "EA", 1, 6, parker}, {"Hydraulic seal kit", "5330", "KT", 4, 30, parker},
			{"Sonobuoy AN/SSQ-53G", "5845", "EA", 50, 400, []string{"ERAPSCO"}}, {"Sonobuoy AN/SSQ-62F", "5845", "EA", 20, 120, []string{"ERAPSCO"}},
			{"Mission computer circuit card assembly", "5998", "EA", 1, 8, boeing}, {"Main landing gear tyre", "2620", "EA", 4, 24, boeing},
			{"Brake assembly", "1630", "EA", 2, 10, []string{"Collins Aerospace"}}},
		"{n} aircraft on ground at {user} awaiting {item}; long-range maritime reconnaissance sorties in the IOR are being cut."},
	{"MH-60R", "A1", []string{"INDOPACOM", "CMF"}, []string{"INAS 334, INS Garuda", "INAS 335, INS Hansa"}, "N00019",
		[]item{{"Main rotor blade", "1615", "EA", 1, 8, []string{"Sikorsky"}}, {"Tail rotor blade", "1615", "EA", 2, 8, []string{"Sikorsky"}},
			{"Main rotor damper", "1615", "EA", 2, 6, []string{"Sikorsky"}}, {"Hydraulic pump assembly", "1650", "EA", 1, 4, parker},
			{"Dipping sonar transducer assembly", "5845", "EA", 1, 2, []string{"Raytheon"}},
			{"T700-GE-401C hot section kit", "2840", "KT", 1, 4, ge}},
		"Embarked flights for the next deployment cannot be generated without {item}; {n} helicopters non-mission-capable at {user}."},
	{"C-17", "A1", []string{"INDOPACOM", "SOCOM"}, []string{"81 Squadron, Hindan"}, "FA8614",
		[]item{{"Cargo ramp hydraulic actuator", "1650", "EA", 1, 3, boeing}, {"Landing gear actuator seal kit", "5330", "KT", 4, 20, parker},
			{"F117 engine fuel nozzle", "2915", "EA", 6, 24, []string{"Pratt & Whitney"}}, {"Main landing gear tyre", "2620", "EA", 4, 24, boeing}},
		"Strategic airlift for HADR standby is reduced; {n} aircraft awaiting {item} at {user}."},
	{"C-130J", "A1", []string{"INDOPACOM", "SOCOM"}, []string{"77 Squadron, Hindan", "87 Squadron, Panagarh"}, "FA8625",
		[]item{{"AE2100D3 turbine blade set", "2840", "SE", 1, 4, []string{"Rolls-Royce Corporation"}},
			{"Nose landing gear tyre", "2620", "EA", 4, 16, []string{"Lockheed Martin Aeronautics"}},
			{"Auxiliary power unit starter", "2925", "EA", 1, 3, []string{"Honeywell Aerospace"}},
			{"Avionics display unit", "5895", "EA", 1, 4, []string{"Lockheed Martin Aeronautics", "Honeywell Aerospace"}}},
		"Special operations and HADR airlift at {user} limited; {n} aircraft grounded for want of {item}."},
	{"AH-64E", "A1", []string{"INDOPACOM"}, []string{"451 Army Aviation Squadron, Jodhpur", "125 Helicopter Squadron, Pathankot"}, "W58RGZ",
		[]item{{"Main rotor blade", "1615", "EA", 1, 4, boeing}, {"Tail rotor swashplate bearing", "3110", "EA", 2, 8, boeing},
			{"TADS/PNVS sensor turret assembly", "5855", "EA", 1, 2, []string{"Lockheed Martin Missiles and Fire Control"}},
			{"T700-GE-701D engine", "2840", "EA", 1, 2, ge}},
		"Attack helicopter availability at {user} below the operational minimum; {n} airframes awaiting {item}."},
	{"CH-47F", "A1", []string{"INDOPACOM", "SOCOM"}, []string{"126 Helicopter Flight, Chandigarh"}, "W58RGZ",
		[]item{{"Forward transmission assembly", "1615", "EA", 1, 2, boeing}, {"Rotor blade", "1615", "EA", 1, 6, boeing},
			{"Swashplate assembly", "1615", "EA", 1, 2, boeing}, {"T55 engine hot section kit", "2840", "KT", 1, 3, []string{"Honeywell Aerospace"}}},
		"Heavy-lift support to forward areas is at risk; {n} helicopters at {user} awaiting {item}."},
	{"M777", "A5", []string{"INDOPACOM"}, []string{"Regiment of Artillery, Army Headquarters"}, "W15QKN",
		[]item{{"Recoil mechanism seal kit", "5330", "KT", 10, 60, []string{"BAE Systems Land & Armaments"}},
			{"Muzzle brake", "1035", "EA", 2, 12, []string{"BAE Systems Land & Armaments"}},
			{"Digital fire control module", "1220", "EA", 2, 10, []string{"BAE Systems Land & Armaments"}}},
		"{n} guns of the ultra-light howitzer regiments are unserviceable for want of {item}."},
	{"MQ-9B", "A1", []string{"INDOPACOM", "CMF", "SOCOM"}, []string{"INAS 342, INS Rajali", "Indian Navy MQ-9B detachment"}, "N00019",
		[]item{{"SATCOM modem", "5895", "EA", 1, 4, []string{"General Atomics Aeronautical Systems"}},
			{"Lynx radar line-replaceable unit", "5840", "EA", 1, 3, []string{"General Atomics Aeronautical Systems"}},
			{"Propeller assembly", "1610", "EA", 1, 4, []string{"General Atomics Aeronautical Systems"}},
			{"Hydraulic pump assembly", "1650", "EA", 1, 4, parker}},
		"Persistent maritime surveillance in the IOR is reduced; {n} aircraft at {user} awaiting {item}."},
	{"F404/F414", "A1", []string{"INDOPACOM"}, []string{"HAL Aircraft Division, Bengaluru (Tejas Mk1A line)"}, "N00019",
		[]item{{"F404-GE-IN20 engine", "2840", "EA", 2, 12, ge}, {"Fan module", "2840", "EA", 1, 4, ge},
			{"FADEC unit", "2995", "EA", 2, 8, ge}, {"Afterburner liner", "2840", "EA", 2, 8, ge}},
		"Tejas Mk1A deliveries to the Indian Air Force are held up; {n} airframes at {user} await {item}."},
}

var usToIN = []program{
	{"USNS voyage repair", "", []string{"INDOPACOM", "CMF"}, []string{"Military Sealift Command Far East", "Military Sealift Command Central", "US Seventh Fleet"}, "N32205",
		[]item{{"Voyage repair availability (work package)", "", "LO", 1, 1, yards}, {"Hull cleaning and painting", "", "LO", 1, 1, yards},
			{"Stern tube shaft seal replacement", "5330", "SE", 1, 2, yards}, {"Main engine overhaul", "", "LO", 1, 1, yards}},
		"A Military Sealift Command ship supporting {user} needs a voyage repair slot in {month} before its next tasking; the nearest US yard is weeks away."},
	{"C-130J aerostructures", "", []string{"INDOPACOM", "SOCOM"}, []string{"USAF C-130J programme", "AFSOC MC-130J fleet"}, "FA8625",
		[]item{{"Empennage assembly", "1560", "EA", 1, 4, tata}, {"Centre wing box fitting", "1560", "EA", 4, 20, tata}},
		"Production line at risk of stopping; {n} aircraft for {user} await {item}."},
	{"CH-47F Block II aerostructures", "", []string{"INDOPACOM", "SOCOM"}, []string{"US Army PEO Aviation"}, "W58RGZ",
		[]item{{"Aft pylon assembly", "1560", "EA", 1, 6, tata}, {"Crown assembly", "1560", "EA", 1, 6, tata}},
		"{n} helicopters on the production line for {user} await {item}."},
	{"Artillery forgings", "", []string{"INDOPACOM", "SOCOM", "CMF"}, []string{"US Army JPEO Armaments and Ammunition"}, "W15QKN",
		[]item{{"Forged 155 mm projectile body", "1320", "EA", 2000, 20000, []string{"Bharat Forge"}},
			{"Forged breech ring", "1025", "EA", 2, 10, []string{"Bharat Forge"}}},
		"US stocks of 155 mm ammunition are below requirement; {n} production lots for {user} depend on {item}."},
	{"Gearbox castings", "", []string{"INDOPACOM", "SOCOM"}, []string{"US Army PEO Aviation", "Naval Air Systems Command"}, "N00019",
		[]item{{"Aluminium alloy gearbox housing casting", "3040", "EA", 10, 80, forgings},
			{"Titanium landing gear forging", "1620", "EA", 4, 24, forgings}},
		"A second source is needed after a US foundry failure; {n} deliveries to {user} depend on {item}."},
}

// CAGE codes of the suppliers (invented, five characters, no I or O).
var cages = map[string]string{
	"Boeing Defense, Space & Security": "7K2W5", "Parker Aerospace": "3H8N1", "ERAPSCO": "1R4T9", "Collins Aerospace": "5C7M2",
	"Sikorsky": "8S3K6", "GE Aerospace": "0G9E4", "Lockheed Martin Rotary and Mission Systems": "2L6R8", "Pratt & Whitney": "7P1W3",
	"Lockheed Martin Aeronautics": "9L4A7", "Rolls-Royce Corporation": "4R2C5", "Honeywell Aerospace": "6H3A9",
	"Lockheed Martin Missiles and Fire Control": "1L8F2", "Raytheon": "4T6R2", "BAE Systems Land & Armaments": "5B2L8", "General Atomics Aeronautical Systems": "3G7A1",
	"Larsen & Toubro Shipbuilding": "SL2T4", "Cochin Shipyard Ltd": "SC8Y1", "Mazagon Dock Shipbuilders": "SM4D7",
	"Tata Advanced Systems": "ST9A3", "HAL": "SH5L2", "Bharat Forge": "SB6F8",
}

// Workflow notes, by the state entered. {supplier}, {date} and {rating} are
// filled in.
var statusNotes = map[string][]string{
	"submitted":           {"Submitted by the LO with end-user certificate.", "Submitted after IHQ MoD approval of the justification."},
	"forwarded_to_dod":    {"Forwarded to OUSD(A&S) Industrial Base Policy for a program determination.", "Forwarded to DoD via the J4 SOSA cell."},
	"program_determined":  {"DoD program determination made; case sent to Commerce (BIS).", "Program determination signed; awaiting rating authorisation."},
	"rating_authorized":   {"Commerce (BIS) authorised rating {rating}.", "Rating {rating} authorised; supplier to be notified."},
	"order_placed":        {"Rated order placed with {supplier}.", "Rated order {rating} placed with {supplier}; acceptance clock running."},
	"supplier_accepted":   {"{supplier} accepted the rated order; delivery promised by {date}.", "Acceptance received in writing from {supplier}."},
	"supplier_rejected":   {"{supplier} rejected: capacity booked with earlier rated orders; earliest date offered {date}.", "{supplier} rejected the order: sub-tier forging not available before {date}."},
	"in_performance":      {"Work in progress at {supplier}.", "Production started; weekly status from {supplier}."},
	"partially_delivered": {"First shipment received by the end user.", "Partial delivery; balance promised by {date}."},
	"delivered":           {"Delivered in full; receipt confirmed by the end user.", "All items received and inspected."},
	"closed":              {"Closed after receipt certificate.", "Closed: nothing further required."},
	"cancelled":           {"Cancelled: requirement met from Indian stock.", "Cancelled at the end user's request.", "Cancelled: superseded by a new request."},
	"passed_to_mod":       {"Passed to MoD (Department of Defence Production) Code of Conduct cell.", "Passed to MoD with the US letter of request."},
	"firm_contacted":      {"MoD contacted {supplier}.", "{supplier} briefed on the request by MoD."},
	"firm_will_support":   {"{supplier} will support; delivery by {date}.", "{supplier} confirmed priority support under the Code of Conduct."},
	"firm_cannot_support": {"{supplier} cannot meet the date: capacity committed to Indian Navy refits.", "{supplier} cannot support: raw material not available before {date}."},
}

var requestActions = map[string][]act{
	"draft":               {{"Complete justification and end-user certificate for {ref}", "ours"}},
	"submitted":           {{"Chase IHQ MoD endorsement of {ref}", "ours"}},
	"forwarded_to_dod":    {{"Chase OUSD(A&S) program determination for {ref}", "j4"}},
	"program_determined":  {{"Chase Commerce rating authorisation for {ref}", "j4"}},
	"rating_authorized":   {{"Place the rated order for {ref} with {supplier}", "ours"}, {"Concur funding for rated order {ref}", "MoD (Fin)"}},
	"order_placed":        {{"Chase supplier acceptance of rated order {ref}", "ours"}},
	"supplier_rejected":   {{"Identify an alternate source for {ref}", "j4"}},
	"supplier_accepted":   {{"Confirm delivery schedule with {supplier} for {ref}", "ours"}},
	"in_performance":      {{"Obtain monthly progress report from {supplier} for {ref}", "ours"}},
	"partially_delivered": {{"Confirm receipt of partial shipment of {ref} at {user}", "ours"}},
	"delivered":           {{"Obtain receipt certificate from {user} and close {ref}", "ours"}},
	"closed":              {{"File closing report for {ref}", "ours"}},
	"cancelled":           {{"Inform the end user of the cancellation of {ref}", "ours"}},
	"received":            {{"Pass {ref} to the MoD Code of Conduct cell", "ours"}},
	"passed_to_mod":       {{"Identify an Indian firm for {ref}", "DDP Code of Conduct cell"}},
	"firm_contacted":      {{"Chase {supplier} response on {ref}", "DDP Code of Conduct cell"}},
	"firm_will_support":   {{"Send {supplier} delivery schedule for {ref} to the US requester", "ours"}},
	"firm_cannot_support": {{"Identify another Indian firm for {ref}", "DDP Code of Conduct cell"}},
}

var delayActions = []act{{"Obtain written confirmation of the delay notice for {ref}", "ours"}}

var spaActions = []act{{"Follow up the Special Priorities Assistance case for {ref}", "j4"}}

// Relative weights of the target state of a request, by direction.
var statusWeights = map[string]map[string]int{
	"in_to_us": {"draft": 6, "submitted": 6, "forwarded_to_dod": 6, "program_determined": 5, "rating_authorized": 5,
		"order_placed": 10, "supplier_rejected": 3, "supplier_accepted": 8, "in_performance": 12, "partially_delivered": 6,
		"delivered": 6, "closed": 20, "cancelled": 5},
	"us_to_in": {"received": 8, "passed_to_mod": 8, "firm_contacted": 10, "firm_will_support": 10, "firm_cannot_support": 5,
		"in_performance": 15, "delivered": 8, "closed": 25, "cancelled": 6},
}
