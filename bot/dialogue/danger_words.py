"""The words of a danger report, as regular-expression fragments for bot.dialogue.danger_cues.

Harm, means, travel away, someone missing, danger said outright, and a time that is now. Every fragment is
about behaviour, means and time: none names an ideology, religion, place or community. Fragments are matched
against `match_key(text)`: lower case, apostrophes dropped, punctuation turned into spaces.
"""

from __future__ import annotations

from bot.dialogue.danger_word_lists import more  # each fragment marked `+ more(...)` grows from YAML

# A medicine taken as prescribed, taken out before reading (bot.dialogue.danger_cues): it alone is quiet
# ("she's swallowed her tablets as prescribed"), what is said beside it is heard ("...but wants to die").
AS_PRESCRIBED = (
    r"\b(?:swallowed|taken|took|drunk|drank|had|has|have|having|takes|take|taking) "
    r"(?:(?:his|her|their|my|the) )?(?:[a-z]+ )?(?:calpol|paracetamol|ibuprofen|nurofen|medicines?|"
    r"medication|meds|antidepressants|pills|tablets|inhaler|doses?) (?:\w+ )?as prescribed\b"
)
# Weapons seldom named, and tools made into weapons: "a sharpened screwdriver", "knuckle dusters".
RARE_WEAPONS = (
    r"(?:brass )?knuckles?(?: ?dusters?)?|knuckle ?dusters?|nunchucks?|nunchakus?|taser\w*|stun guns?|"
    r"pepper spray|cs spray|zombie knife|flick ?knife|lock ?knife|butterfly knife|samurai sword|katana|"
    r"machete|sword|swords|baton|cosh|crowbar|knuckle\w*|shiv|broken bottle|"
    r"(?:sharpened|filed(?: down)?|ground down) (?:a |an |the |his |her |their )?(?:\w+ )?"
    r"(?:screwdriver|chisel|toothbrush|pencil|comb|spoon|file|stick|bar|rod|blade|compass|tool)s?|"
    r"(?:screwdriver|chisel|spike)s? (?:\w+ ){0,2}(?:sharpened|filed)"
)
# Smashing a head or face in, said as people say it: "cave his face in", "kick her head in".
VIOLENT_IDIOMS = (
    r"(?:cave|kick|smash|bash|stamp|stove|knock|punch|beat) (?:his|her|their|your|my) (?:\w+ )?"
    r"(?:face|head|skull|teeth) (?:in|off)|"
    r"stamp on (?:his|her|their) (?:head|face)|put (?:him|her|them) in (?:hospital|a coma|the ground)|"
    r"(?:break|snap) (?:his|her|their) (?:neck|legs|jaw|arms?)|leave (?:him|her|them) for dead"
) + more("violent_idioms")
# Stepping or throwing oneself into traffic: self-harm whatever the vehicle.
IN_FRONT_OF_TRAFFIC = (
    r"(?:step|stepping|walk|walking|run|running|throw|throwing|jump|jumping|lie|lying|lay) "
    r"(?:\w+self )?(?:out )?(?:in front of|under) (?:a|an|the) (?:\w+ )?(?:train|lorry|truck|bus|car|van|"
    r"traffic|tube|tram|coach)|"
    r"(?:edge of the|on the edge of the|over the edge of the) platform|platform edge"
)
# A harm, a means, travel to danger, someone missing, or danger named outright. With the classifier's
# `report_danger`, any one of these makes a danger report.
HARM = (
    r"knife|knives|blade|blades|machete|machetes|gun|guns|firearm|shotgun|rifle|pistol|weapon\w*|bomb\w*|"
    r"explosive\w*|acid|petrol|chemicals|wires|fire|arson|"
    r"kill\w*|murder\w*|stab\w*|shoot\w*|shot|attack\w*|hurt\w*|harm\w*|threat\w*|blow\w* up|set fire|"
    r"fight\w*|hit|beat\w*|batter\w*|strangl\w*|chok\w*|jump|punch\w*|kick\w* off|assault\w*|"
    r"overdose\w*|od|odd|pills|tablets|paracetamol|suicid\w*|hang \w+self|noose|ligature|"
    r"end (?:it|it all|his life|her life|their life|my life)|take (?:his|her|their|my) own life|"
    r"cut (?:himself|herself|themselves|myself)|"
    # Typed in a hurry
    r"nife|nifes|knif|knifes|nives|gunn|wepon\w*|weopon\w*|weapen\w*|stabb\w*|kil|kils|shank\w*|"
    r"tooled up|abduct\w*|kidnap\w*|snatch\w*|drag\w* (?:him|her|them|a|the|someone|somebody)|"
    r"round (?:his|her|their) neck|"
    r"unconscious|unresponsive|wont wake|not breathing|collapsed|"
    # Other means: blunt or improvised weapons, fire, vehicles, poison, heights
    r"axe|axes|hammer|crossbow\w*|bat|baseball bat|scissors|torch (?:the|his|her|their|it)|alight|"
    r"poison\w*|run (?:\w+ )?over|drive (?:into|at)|ram\w* (?:into|the)|"
    r"cut (?:him|her|them) up|cut (?:his|her|their) face|slash\w*|bleeding|rope|bridge|ledge|"
    r"roof|cliff|multi storey|goodbye (?:letter|note|message|text)|want\w* to die|wanna die|"
    r"(?:dont|doesnt|do not|does not) want to (?:be alive|live|be here)|wont be here|"
    r"hitting|hit (?:him|her|them|me|us)|being (?:forced|dragged|held|followed|chased|hurt|hit|beaten)|"
    r"following|(?:going to|gonna|will|ll) (?:do|doing) it|goodbye|(?:wont|not) be alive|wrists?|blood|"
    r"missin|glassed|can (?:reach|contact|find) (?:him|her|them)|out of the country|doing it (?:at|on|in)|"
    r"(?:got|has|have) (?:the|his|her|their|everything) (?:\w+ )?ready|"
    # Said as people say it: "top herself", "do them in", "make them pay", "a list of names", "a razor"
    r"top(?:ping)? (?:him|her|them|my|your)sel(?:f|ves)|do (?:\w+ ){0,4}(?:him|her|them|us|you)(?: all)? in|"
    r"make (?:them|him|her|everyone|you|us|people) pay|(?:kill|hit) list|list of (?:names|people|targets)|"
    r"razor\w*|glass (?:him|her|them|someone|somebody)|railway line|train tracks|on the tracks|"
    r"locked (?:him|her|them)sel(?:f|ves) in|wont let (?:him|her|them|me) (?:out|go|leave)|"
    r"grabbed (?:him|her|them)|bundled|(?:grabbed|pulled|dragged|forced|pushed) (?:\w+ ){0,3}into (?:a|the|"
    r"his|her|their) (?:van|car)|"
    r"been (?:snatched|grabbed|abducted|taken) (?:from )?outside|"
    r"(?:cant|cannot|can not) go on(?! (?:with|the|a|an|to|at|holiday|trips?|his|her|their)\b)|"
    r"cutting (?:his|her|their|my) (?:arms?|legs?|wrists?|skin|thighs?|stomach)|"
    # Uncommon or improvised weapons, violent idioms, stepping into traffic, waiting for someone (issue #11)
    rf"{RARE_WEAPONS}|{VIOLENT_IDIOMS}|{IN_FRONT_OF_TRAFFIC}|"
    r"(?:lying|laying|waiting) in wait|"
    r"(?:waiting|hanging (?:a)?round|lurking) (?:for|outside) (?:him|her|them)"
) + more("harm")
# "Missing" as a person is missing, not "missing lessons" or "missing her dad".
MISSING = (
    r"missing(?=$| (?:from|since|now|right|again|tonight|today|and|overnight|this|for|after|still|he|she|"
    r"they|we|i|but|with|so|or)\b)"
)
TRAVEL = (
    r"flight|flying|fly|flies|airport|plane|boarding|one way ticket|passport|abroad|border|"
    r"tickets? (?:to|out|abroad)|(?:booked|bought) (?:him|her|them) (?:\w+ )?tickets?|"
    r"leave the country|leaving the country|out of the country|being (?:picked up|collected|taken)|"
    r"getting picked up|packed a bag|"
    r"(?:train|coach|bus|ferry) to|(?:off|going|gone|go) to (?:the )?(?:war|fight|fighting)|"
    r"go and fight|join (?:the )?(?:fight\w*|war)|"
    r"terminal(?! (?:illness|ill|cancer|condition|diagnosis))|departure (?:gate|lounge|board)|departures|"
    r"boarding gate|(?:gate|terminal) \d+|check in desk|through security"
) + more("travel")
# Missing told without the usual words: "no sign of her since", "nowhere to be found".
NO_SIGN = (
    r"no sign (?:of (?:him|her|them) )?since|no sign of (?:him|her|them)|nowhere to be (?:found|seen)|"
    r"(?:not|hasnt|havent|nobody has|no one has) (?:been )?heard from|no trace of (?:him|her|them)|"
    r"unaccounted for|(?:not|hasnt|havent|never|didnt) (?:returned|return)|not back since|"
    r"no (?:one|body) has (?:seen|heard)"
) + more("no_sign")
AWAY = (
    rf"conflict zone|war zone|{MISSING}|run away|ran off|ran away|runaway|disappeared|vanished|barricaded|"
    r"not come home|didnt come home|hasnt come home|havent come home|never came home|not come back|"
    r"hasnt come back|not been seen|nobody knows where|no one knows where|cant find (?:him|her|them)|"
    r"hasnt been seen|(?:dont|do not) know where|(?:seen|heard from) (?:him|her|them) since|"
    r"not (?:answering|replying|picking up)|isnt (?:answering|replying|picking up)|cant (?:contact|reach)|"
    r"not turned up|hasnt turned up|hasnt been home|not been home|been gone|gone off with|"
    r"reported missing|wont be back|wouldnt be back|not coming back|isnt coming back|"
    rf"{NO_SIGN}|phone (?:is |s |has been |been )?(?:off|dead|switched off|going straight to voicemail)|"
    r"danger\w*|emergency|emergancy|emergancey|emergncy|999|police|ambulance|happening|unsafe|not safe|"
    r"at risk|urgent\w*|life or death|"
    r"immediate\w*|asap|right away"
)
NUMBER_WORDS = (
    r"one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|fifteen|twenty|twenty five|thirty|"
    r"forty|forty five|fifty|sixty|ninety|half an?|a couple of|a few|couple|few"
)
# A time that is now or about to be. On its own, with the classifier, a time is not enough: "a ticket for the
# football tomorrow" is no emergency.
NOW = (
    r"now|right now|just now|today|tonight|tomorrow|tmrw|2moro|2morrow|tonite|2nite|"
    r"this (?:morning|afternoon|evening|weekend|lunchtime)|after (?:school|skool|skl)|"
    r"at lunch\w*|at break|at home time|"
    r"home time|later today|later tonight|later on|as we speak|about to|on (?:his|her|their|my|the) way|"
    r"any minute|in a (?:minute|bit|few minutes)|in an hour|in (?:a|an|\d+|two|three|few) ?(?:hrs?|hours?|"
    r"mins?|minutes?)|at \d+ ?(?:am|pm)|at \d+ ?o ?clock|"
    r"since (?:this morning|last night|yesterday|lunch\w*|school)|last night|"
    r"rn|2day|later|in a couple of (?:hours|hrs|mins|minutes)|"
    r"tonights|first thing|by the end of the day|end of the day|this week|next week|"
    r"(?:on |this |next )?(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday)|"
    r"when (?:he|she|they|i|we) (?:gets?|get|comes?|come) (?:home|back|in)|when (?:he|she|they) sees? \w+|"
    r"on the way home|at \d{1,2}(?: \d\d)?(?: ?(?:am|pm|oclock|o clock))?|"
    # Typed in a hurry, and said with number words or by the school day (issue #11)
    r"tomorow|tommorow|tommorrow|tomorro|tomoro|tomorrw|tmoro|2moz|tmr|tmw|tonigt|tonihgt|tonght|2night|"
    r"tonigh|(?:this )?(?:aftanoon|afternon|arvo|mornin|morn|evenin)|"
    rf"in (?:a|an|{NUMBER_WORDS}|\d+)(?: (?:or|to) (?:{NUMBER_WORDS}|\d+))? ?(?:hrs?|hours?|mins?|minutes?)|"
    rf"(?:a (?:few|couple of)|{NUMBER_WORDS}|\d+) (?:mins?|minutes?|hrs?|hours?) ago|"
    r"after (?:period|p|lesson) (?:\d|one|two|three|four|five|six)|"
    r"after (?:first|second|third|fourth|fifth|last) (?:period|lesson)|"
    r"after (?:break|lunch\w*|registration|reg|assembly|tutor time|form time|class|lessons|pe|games)|"
    r"at (?:home time|registration|reg|hometime|break time|breaktime|dinner time|dinnertime)|"
    r"when the bell goes|in the morning|by the morning|at (?:pick ?up|drop ?off|pickup)|"
    # The end of the school day said as an event ("when school finishes", "as soon as lessons end")
    r"when (?:school|skool|class|lessons|the day) "
    r"(?:finish\w*|ends?|is out|lets out|gets out|comes out|is over)|"
    r"(?:at )?the end of (?:school|the school day|lessons)|end of school|after the bell|"
    r"tomoz|2mrw|2mora|2moro|"
    # Typed in a hurry, and told by the school day (issue #11, h1)
    r"tnite|tonyt|2nyt|2naite|this eve\w*|this evo|this avo|b4 (?:school|skool|tea|bed|home time)|"
    r"before (?:school|tea|bed|home time|the end of (?:the )?(?:day|school))|"
    r"before (?:the|his|her|their) (?:match|game|party|disco|gig|concert|assembly|prom)|"
    r"(?:at|by) (?:tea ?time|bed ?time|midnight|noon|dinner)|(?:tomorrow|2moro|tmrw) (?:nite|night|nyt)"
) + more("now")

# Harm going on now, said without the usual verbs (issue #11, h18): "he's strangling him", "the baby's not
# breathing", "the house is on fire", "she's hanging from the banister", "he's pulled a knife on a year 9".
HAPPENING_NOW = (
    r"(?:is|s|are|re|hes|shes|theyre|theyve|has|have|just) (?:strangling|choking|kicking|stamping on|"
    r"punching|hurting|hitting|beating|attacking|stabbing|smashing) (?:\w+ ){0,2}"
    r"(?:him|her|them|me|us|someone|somebody|a kid|a child|the kids|the children|the baby|the place|"
    r"the house|the flat|doors?|windows?)|"
    r"(?:hes|shes|theyre|is|are|s|re) (?:not|isnt) (?:breathing|responding)(?! well)|"
    r"(?:not|isnt) breathing(?! well)|"
    r"not moving(?: at all| now)?$|unresponsive|unconscious(?! bias)|"
    r"(?:house|flat|home|room|bedroom|building|car|school|kitchen|classroom|block)s? (?:is|s|are|re) "
    r"(?:on fire|burning(?! hot| up)|alight|in flames)|"
    r"(?:has|hes|shes|theyve|just) (?:set fire|set light|lit a fire)|"
    r"(?:has|hes|shes|theyve|have|just) set (?:\w+ ){1,3}on fire|"
    r"drink\w* bleach|drank bleach|drunk bleach|swallowed bleach|cut (?:his|her|their) (?:own )?throat|"
    r"hanging from (?:the|a) (?:banister|bannister|ceiling|door|beam|loft)|held hostage|hostage|"
    r"being trafficked|engine running in (?:the|a) garage|garage with the engine running|"
    r"walk(?:ed|ing)? into the (?:sea|river|canal)|"
    r"(?:brandish\w*|waving|wielding|pulled|pulling|holding) (?:a|an|the|his|her|their) (?:\w+ )?"
    r"(?:knife|blade|gun|machete|weapon|axe|screwdriver|hammer|bat|bottle)(?! (?:safety|skills|crime))|"
    r"(?:chasing|threatening|going for|coming at) (?:\w+ ){0,4}with (?:a|an|his|her|their) (?:\w+ )?"
    r"(?:knife|blade|gun|machete|weapon|axe|screwdriver|hammer|bat|bottle|stick|brick|pole|chair|"
    r"scissors|bar)|"
    r"locked (?:him|her|them|the kids|the children|the baby) in\b|"
    r"(?:hes|shes|theyre|is|are|s|re) armed"
    r"(?= *$| and| now| with (?:a|an) (?:\w+ )?(?:knife|gun|blade|weapon))|"
    r"(?:texting|messaging|begging|screaming|shouting|crying) (?:me |us |out )?for help(?! with)"
) + more("happening_now")
# Cues said the way people say them (issue #11, h18): with the classifier, any one makes a danger report.
MORE_HARM = (
    rf"{HAPPENING_NOW}|strangl\w*|trap house|trafficked|trafficking|"
    r"(?:saying|said|says|texted|messaged|message|note|letter) (?:\w+ ){0,2}sorry for everything|"
    r"(?:wont|not) be around(?! (?:next|this|on|for|until|at|in|because|tomorrow))|"
    r"(?:want|wants|wanted) to be dead(?! \w+ous)|never wake up|"
    r"on purpose|knocked (?:him|her|them|a \w+) down|knocked down by|"
    r"(?:done|doing) a runner(?! (?:to|from) (?:the )?(?:shops?|detention|lesson|class|canteen))|"
    r"legged it(?! (?:to|from) (?:the )?(?:shops?|detention|lesson|class|canteen|bus))|"
    r"locked (?:us|them|him|her|the kids|the children) in|smash\w* (?:the place|the house|everything) up|"
    r"finish what (?:he|she|they) started|everyone will remember|last day on earth|"
    r"passports? (?:is |s |has |have )?gone|(?:left|home) (?:on (?:his|her|their) own|alone)|"
    r"sleeping (?:rough|on the streets?)|"
    r"kicked out(?! of (?:the |his |her |their )?(?:lesson|class|classroom|club|game|team|library|canteen|"
    r"shop|assembly))|top of the (?:car park|multi storey|building|flats)|"
    r"kicking (?:him|her|them|someone|somebody|a (?:kid|child|boy|girl|lad|pupil))|"
    r"revving (?:the|his|her|a) (?:car|engine|motor|bike)|"
    r"(?:being|been|is|s|was) groomed|grooming (?:him|her|them)|groomers?|"
    r"strangers? car|never arrived|(?:didnt|hasnt|not) (?:arrive|arrived)|going for (?:him|her|them|his|her)|"
    r"followed (?:him|her|them|a \w+|a year \d+) (?:\w+ )?into|cornered|"
    r"out all night|(?:been )?gone all (?:night|day|weekend)|"
    r"(?:stood|standing|sat|sitting|lying) in the (?:middle of the )?road|in front of (?:the )?traffic|"
    r"blow\w* (?:\w+ ){1,2}up|smoke (?:coming|pouring)|"
    r"driving (?:him|her|them) (?:somewhere|away|off)|taken (?:him|her|them) (?:off )?in (?:his|a|their|the) "
    r"(?:car|van)|by the (?:railway|tracks|train line)|"
    r"drive (?:\w+ ){0,3}(?:into|at) (?:the |a )?(?:\w+ )?(?:crowd|people|kids|children|pupils|school|gates|"
    r"him|her|them|students)"
)
# Meeting someone from online, or a groomer, with a time that is now: a meeting today is danger now.
GROOMER = (
    r"groom\w*|(?:man|men|guy|guys|bloke|adult|stranger|older \w+|someone|person|boyfriend|girlfriend) "
    r"(?:\w+ ){0,3}(?:from|off|on|met|she met|he met|they met) (?:online|snapchat|snap|instagram|insta|"
    r"tiktok|discord|the internet|an app|a game|roblox|a chat)|"
    r"(?:man|men|guy|bloke|adult|stranger|older \w+) (?:who|whos|that) (?:s |has |have )?been "
    r"(?:messaging|talking to|chatting to|texting|grooming|sending)"
)
MEETING_THEM = (
    r"meet|meets|meeting up|to meet|meeting (?:the|a|him|her|this|that|some)|seeing (?:the|a|him|her)|"
    r"pick(?:ing)? (?:him|her|them) up|collect\w* (?:him|her|them)|get(?:ting)? in (?:a|the|his|their) car|"
    r"going off with|gone off with|on (?:his|her|their) way to"
)
# Ordinary speech that uses a cue's words (issue #11, h18), taken out before looking: "dying to see it",
# "killing themselves laughing", "a toy gun for the play", "shot her hand up", "blowing up balloons", "mum
# threatened to take his phone", "i could kill my printer", "that test murdered me".
MORE_IDIOMS = (
    r"(?:kill\w*|killed) (?:\w+ )?(?:them|him|her|my|your|our)?sel(?:f|ves) laughing|died laughing|"
    r"dying (?:to|for|of)|(?:die|died) (?:of|laughing)|nearly died|"
    r"(?:toy|fake|replica|prop|plastic|pretend|cardboard|foam|lego|costume) (?:\w+ )?(?:guns?|knife|knives|"
    r"swords?|weapons?|rifles?|pistols?|blood|bombs?)|"
    r"shooting range|rifle range|clay pigeons?|archery|laser quest|lasertag|laser tag|"
    r"shot (?:his|her|their|my) hands? up|shot up (?:in height|so much|this year)|"
    r"blow\w* up (?:the |some |a |loads of )?"
    r"(?:balloons?|lilo|paddling pool|bouncy castle|ball|photo|picture)|"
    r"blew up at|blows up at|"
    r"threat\w* to (?:take|confiscate|ground|ban|stop|tell|cancel|keep|switch off|turn off) "
    r"(?:his|her|their|the|him|her|them)(?! (?:child|baby|kids?|children|toddler|son|daughter))|"
    r"(?:could|would|d) (?:kill|murder) (?:my|the|this|that) (?:\w+ )?(?:printer|computer|laptop|pc|phone|"
    r"wifi|internet|tablet|ipad|alarm|car|boiler|kettle)|"
    r"(?:test|exam|exams|homework|mocks?|run|lesson|workout|training|day|week|shift) (?:\w+ ){0,2}"
    r"(?:murdered|killed|destroyed|slaughtered) (?:me|him|her|them|us)|"
    r"stab\w* (?:his|her|their|the|a|my) (?:pencil|pen|paper|rubber|fork|straw|potato)|"
    r"killer (?:at|on|tune|app|smile|heels|moves|goal|shot|whale)|fight on (?:his|her|their|our|my) hands|"
    r"choked up|choking on (?:his|her|their|my) (?:food|dinner|lunch|drink|tea)|been on fire|"
    r"on fire (?:in|at) (?:netball|football|training|practice|the match|the game|maths)|"
    r"(?:kill|murder) (?:him|her|them|me|us) (?:for|if) (?:\w+ ){0,2}"
    r"(?:late|forget\w*|forgot|los\w*|lost|"
    r"break\w*|broke|mess\w*|spill\w*|detention)|"
    r"(?:kill|murder|destroy|smash)\w* (?:the|that|this) (?:competition|song|tune|round|level)|"
    r"punch\w* the air|killing (?:it|time)|slay\w*|phones? off (?:him|her|them|me)"
) + more("more_idioms")
# What makes travel with family no holiday: a forced marriage, fear, a fight, no coming back.
COERCED = (
    r"marr\w*|against (?:his|her|their) will|(?:doesnt|dont|didnt|does not|do not) want to go|scared|"
    r"terrified|frightened|join|fight\w*|war|wont say|not coming back|one way|taken out of|fgm|cut|cutting|"
    r"circumcis\w*"
)
# The police have already acted: "officers took the knife off him this morning", "police found her today".
POLICE_ACTED = (
    r"(?:police|officers?|cops)(?: \w+){0,2} (?:came|attended|took|seized|removed|confiscated|arrested|found|"
    r"brought|picked|spoke|dealt|recovered|collected|"
    r"have (?:already )?(?:taken|removed|seized|arrested|found|"
    r"been and|dealt|spoken))"
)
# ...unless it is going on again: "the police took him but he's back out with another knife".
STILL_GOING = (
    r"still|again|right now|rn|as we speak|another|escaped|back out|but (?:hes|shes|he|she|they|theyre)"
)

# Danger as people type it to a colleague (issue #11, h1): slang for hurting someone, exploitation and being
# moved about by older people, being held, meeting a stranger, and self-harm in the words young people use.
# Each is a cue with the classifier's `report_danger`; harm and exploitation with a time that is now are
# plain.
# "gonna do him after school", "going to merk him", "catch him lacking": the verb must be followed by the end
# or a time or place, so "do her hair" and "do him a favour" stay ordinary.
SLANG_HARM = (
    r"(?:gonna|gna|gunna|gona|going to|goin to|going 2|finna|will|ll|wants to|wanna|boutta|about to) "
    r"(?:do|merk|wet|deck|lamp|smack|slap|rush|splash|ding|bang|drop|jump|bottle|chef|ruin|end) "
    r"(?:him|her|them|that (?:lad|boy|girl|kid)|the (?:lad|boy|girl|kid|new (?:lad|boy|girl|kid)))"
    r"(?= *$| (?:in|after|at|tonight|tonite|2nite|today|2day|tomorrow|tmrw|2moro|when|with|later|on|outside|"
    r"proper|properly|good|up|over|before|if|cos|because|for)\b)|"
    r"catch (?:him|her|them) lacking|slide on (?:him|her|them)|(?:merk|merked|merking|shank|shanked) "
    r"(?:him|her|them|someone|somebody)|(?:strapped|carrying|tooled) (?:up )?(?:and|now|tonight|today)"
)
# Older people moving a child to sell or carry for them (criminal exploitation, county lines).
EXPLOITED = (
    r"county lines?|going (?:country|cunch|ot)|gone (?:country|cunch|ot)|(?:sent|sending|taken|taking|took) "
    r"(?:him|her|them) (?:\w+ ){0,2}(?:country|ot|cunch)|"
    r"(?:sell|selling|sold|deal|dealing|run|running|carry|carrying|hold|holding|move|moving|drop|dropping) "
    r"(?:\w+ )?(?:drugs|gear|packages|parcels|packs|wraps|bags for|for them|for (?:the|some) (?:older|"
    r"men|lads))|"
    r"(?:taking|taken|took|driving|drove|moving|moved|sending|sent|ferrying) (?:him|her|them) (?:\w+ ){0,2}"
    r"(?:to|into) (?:another|a different|a new|some other|the next|an unknown) (?:town|city|area|county|flat|"
    r"house|address|place)|"
    r"(?:older|other|big|some|grown) (?:lads|boys|men|guys|blokes|man|lad|girls|"
    r"women) (?:\w+ )?(?:are |is |have "
    r"|re |s |ve |keep )?(?:taking|collecting|picking|driving|sending|using|paying) (?:him|her|them)|"
    r"trap (?:phone|line|flat)|debt bondage|owes? (?:them|the \w+|some \w+) money and"
) + more("exploited")
# Held somewhere, or kept from leaving.
HELD = (
    r"(?:is|s|are|re|being|been|was|kept|keeping|held|holding|got) (?:\w+ )?(?:locked|trapped|kept|held|"
    r"shut) (?:in|at|inside|up in)|(?:cant|cannot|can not|not allowed to|isnt allowed to|wont let \w+) "
    r"(?:leave|get out|go home|escape|get away)|(?:keeping|holding) (?:him|her|them) (?:at|in|locked|"
    r"there|prisoner)|"
    r"trapped|(?:isnt|not|no) allowed (?:contact|near|to see)|no contact order|restraining order|"
    r"non molestation|"
    r"(?:doesnt|dont|does not|do not) know where (?:she|he|they|i) (?:is|are|am)|strangers? (?:house|"
    r"flat|place)|"
    r"touch(?:es|ed|ing) (?:him|her|them)|sexual\w*|abus\w*|raped?|fgm|get cut|be cut|cut abroad|"
    r"scared|terrified|frightened|lighter|smoke|flames"
)
# Meeting a stranger or an older person now: with a time, the classifier decides.
MEETING_A_STRANGER = (
    r"(?:meet|meeting|meetin|see|seeing|go with|going with|get in (?:a|the) car with) (?:up with )?"
    r"(?:the|a|this|that|some|an) (?:older |random |strange |grown )?(?:man|men|bloke|guy|stranger|adult|"
    r"older (?:man|lad|boy|guy|woman)|fella)\b(?! from the (?:council|housing|school|office))|"
    r"trying to (?:get|make|persuade) (?:\w+ ){1,4}(?:to )?get in(?: (?:his|the|a|their) (?:car|van))?|"
    r"(?:meet|meeting|meetin|see|seeing) (?:someone|somebody|a person) (?:\w+ ){0,2}(?:from|off|"
    r"met) (?:online|"
    r"snapchat|snap|instagram|insta|tiktok|discord|an app|a game|the internet)"
) + more("meeting_a_stranger")
# Self-harm in the words young people use online, and misspellings of the usual ones.
MORE_SELF_HARM = (
    r"unaliv\w*|sewerslide|suicdal|sucid\w*|suiside|suicde|overdos\w*|over dose|od ing|"
    r"better off (?:dead|without (?:me|him|her|them))|no point (?:in )?(?:living|being alive|going on|"
    r"carrying on|being here)|(?:go to sleep|sleep) (?:and )?(?:not|never) wake up|sleep forever|"
    r"(?:wants|wanting|want) it (?:all )?to (?:end|stop)|(?:wants|want) to disappear forever|"
    r"(?:kill|kll|kil|kiil) (?:him|her|my|them)sel(?:f|ves)"
) + more("more_self_harm")
# Something about to be done, not named: "he's going to do something bad at the match on saturday".
SOMETHING_BAD = (
    r"(?:going to|gonna|gna|will|ll|wants to|planning to|about to) do something (?:bad|stupid|big|"
    r"terrible|crazy|"
    r"awful|serious|mad)"
    # ...but a celebration is no deed: "do something big for her mum's fortieth"
    r"(?! for (?:a |the |his |her |their |my |our )?(?:\w+s )?"
    r"(?:birthday|anniversary|charity|party|\w+ieth))|"
    r"nails and|ball bearings|pressure cooker"
) + more("something_bad")
# Intent said in a hurry: "he's ment to be", "she's boutta", "he's gunna".
INTENT_TYPOS = (
    r"ment to|meant to|supposed to|sposed to|gunna|gonnna|goin|going2|boutta|bout to|abt to|planning|"
    r"plans|plan to|ready to"
) + more("intent_typos")
# Talk about a policy, a lesson or a what-if: "what happens if a pupil brings a knife in tomorrow?"; fear of
# what follows a refusal is no what-if ("scared what happens if he says no").
HYPOTHETICAL = (
    r"what (?:would|do|should) (?:we|you|staff|the school|i) do if|what (?:we|you|staff|i) (?:would|"
    r"should|d) "
    r"do if|(?<!scared )(?<!afraid )(?<!worried )(?<!frightened )(?<!terrified )(?<!of )what happens if|"
    r"what if (?:someone|somebody|a "
    r"(?:pupil|child|student|young person|kid)|anyone)|hypothetical\w*|imagine if|supposing|in (?:a|the) "
    r"scenario|(?:policy|procedure|guidance|protocol|handbook|training|lockdown plan)s? (?:says|say|states|"
    r"covers|tells us|on|for|about)|for example if"
) + more("hypothetical")
# Ordinary speech with a harm word, taken out before looking (issue #11, h1): "I'll have a stab at it
# tonight", "got to shoot off now", "my phone's been blowing up today", "the trip cost a bomb", "fire away".
EVEN_MORE_IDIOMS = (
    r"(?:have|had|having|take|took|taking|make|made|give|gave) (?:a|another) stab at|stabbing pains?|"
    r"shoot(?:ing)? off|shoot (?:me|us|you|him|her|them) (?:a|an) (?:\w+ )?(?:message|text|email|line|"
    r"note|dm)|"
    r"give (?:it|that) a (?:shot|go)|long shot|big shot|hot shot|mug ?shot|shooting star|"
    r"(?:phone|phones|notifications|inbox|chat|group chat|dms|messages|comments|post|video|tiktok|it) "
    r"(?:\w+ ){0,2}(?:blow\w*|blew) up|blew up (?:online|on \w+)|"
    r"costs? (?:a|an absolute) bomb|went down (?:a|like a) bomb|(?:a|the|da|an absolute) bomb of a|"
    r"bomb(?:ed|ing) it|fire away|fired up|fire (?:off )?(?:an|a|the) (?:email|message|text)|"
    r"hit it off|hit and miss|hit the roof|big hit|jump(?:ed|ing)? the gun|stick\w* to (?:his|her|their|my) "
    r"guns|all guns blazing|knife edge|got away with murder|blue murder|murder mystery|"
    r"explosive (?:temper|row|argument|mood)|hurt (?:his|her|their|my) feelings|no harm done|"
    r"(?:wouldnt|would not|doesnt|does not|cant|wont) hurt to|dead on (?:his|her|their|my) feet|"
    r"locked (?:him|her|them)sel(?:f|ves) in (?:\w+ ){0,3}(?:to|for) (?:revise|revision|study|work|do|"
    r"read|sleep|"
    r"play|game|get ready|practi[sc]e)|"
    r"(?:kill|killed|killing|smash|smashed|ace|aced|nail|nailed|slay|slayed) (?:the|his|her|their|this|that) "
    r"(?:audition|interview|exam|test|performance|presentation|show|solo|speech|race|role|part|final|"
    r"recital)|"
    r"(?:kill|murder) (?:him|her|them|me|us) if (?:\w+ ){0,3}(?:doesnt|dont|didnt|does not|do not) (?:tidy|"
    r"clean|do (?:his|her|their|my) (?:homework|chores|room|jobs)|wash|hoover|feed|walk|put away|get up)|"
    r"accidentally cut (?:\w+ )?(?:him|her|them|my)sel(?:f|ves)|cut (?:him|her|them|my)sel(?:f|ves) "
    r"(?:by accident|accidentally|shaving|cooking|in (?:food tech|the kitchen|cooking|dt|art))|"
    r"stab\w* (?:(?:him|her|them|me|us) )?in the back"
)
# Danger said in few words (issue #11, h1): "hes carrying" (the weapon unsaid), "the baby's gone floppy",
# "he reckons he'll be dead by the weekend", "driven to a city she doesn't know".
# Cues only: the classifier decides.
SAID_SHORT = (
    r"(?:hes|shes|theyre|is|s|are|re|been|keeps?|always|still) (?:strapped|carrying|tooled)$|"
    r"gone (?:floppy|limp|blue|grey)|(?:isnt|not|wont) waking (?:up|properly)|(?:be|is|s|ll be) dead by|"
    r"(?:a|an|some) (?:town|city|area|place|flat|house) (?:he|she|they) (?:doesnt|dont|does not|do not) know"
)
# Outings and days out, a social media story, from danger_word_lists.yaml (see there).
OUTINGS = more("outings").removeprefix("|")
SOCIAL_POST = more("social_post").removeprefix("|")
