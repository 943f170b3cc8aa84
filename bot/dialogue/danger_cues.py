"""Words that make a typed message a danger report, and the harmless idioms that do not.

A typed danger report needs the classifier and a cue (`reading.read_message`): the classifier alone once read
"She has been late most mornings this term and looks tired in lessons" as danger at 0.84. Some reports are
plain enough to be read whatever the classifier says: a harm and a time that is now ("she said he'd kill her
tonight"), someone missing now, self-harm intended now, an overdose taken. Missing one could cost a life; a
false alarm costs a click (the practitioner is asked "Is anyone in immediate danger now?").

Every pattern is about behaviour, means and time: none names an ideology, religion, place or community.
Patterns are matched against `match_key(text)`: lower case, apostrophes dropped ("he'd" is "hed", "didn't"
is "didnt"), punctuation turned into spaces.
"""

from __future__ import annotations

import re

from bot.dialogue import danger_words as w
from bot.dialogue.control_shaped import ENDING_THIS, OATH
from bot.questions.phrases import match_key

_TIMES = re.compile(rf"\b(?:{w.NOW})\b")
_SAID_AS_TYPED = (
    rf"{w.SLANG_HARM}|{w.EXPLOITED}|{w.HELD}|{w.MEETING_A_STRANGER}|{w.MORE_SELF_HARM}|{w.SOMETHING_BAD}|"
    rf"{w.SAID_SHORT}"
)
_CUES = re.compile(rf"\b(?:{w.HARM}|{w.MORE_HARM}|{w.AWAY}|{_SAID_AS_TYPED})\b")
_TRAVEL_CUES = re.compile(rf"\b(?:{w.TRAVEL})\b")
# Travel that is a holiday or a family visit is no cue by itself.
_LEISURE = re.compile(
    r"\b(?:holiday\w*|trip|visit\w*|wedding|half term|summer|christmas|easter|grandparents|gran|nan|"
    r"grandma|grandad|cousins?|relatives|aunt\w*|uncle\w*|family|dentist|doctors?|appointment|"
    rf"{w.OUTINGS}|by (?:his|her|their) (?:mum|dad|mam|parents?|carers?|foster carers?|nan|gran)|"
    r"(?:mum|dad|mam|parents?|nan|gran|carers?|foster carers?)s? (?:is |s |are |re |will |ll )?"
    r"(?:picking|collecting|"
    r"fetching|getting|pick|collect|fetch|get) (?:him|her|them) (?:up)?|"
    r"with (?:his|her|their) (?:mum|dad|mam|parents?|family|nan|gran|grandparents|carers?|foster carers?))\b"
)
# ...unless something says it is no holiday: "her dad's taking her abroad tomorrow to be married".
_COERCED = re.compile(rf"\b(?:{w.COERCED})\b")
_POLICE_ACTED = re.compile(rf"\b(?:{w.POLICE_ACTED})\b")
_HYPOTHETICAL = re.compile(rf"\b(?:{w.HYPOTHETICAL})\b")
# A game as the place someone was met is no game being played: "a man he met on a game is picking him up",
# "a man from a game she plays is meeting her", "a man grooming him in a game is picking him up".
_MET_IN_A_GAME = re.compile(
    r"\b(?:met|meets|knows|talk(?:ing|s) to|chatting to|messaging|groom\w*) (?:\w+ )?(?:on|in|through|via) "
    r"(?:a|an|the|his|her|their) (?:online )?(?:game|gaming \w+|game chat)\b|(?:(?<=man )|(?<=men )|"
    r"(?<=guy )|(?<=adult )|(?<=someone )|(?<=stranger )|(?<=person ))from (?:a|an|the) (?:online )?game\b"
)
_STILL_GOING = re.compile(rf"\b(?:{w.STILL_GOING})\b")
_GROOMER = re.compile(rf"\b(?:{w.GROOMER})\b")
_MEETING_THEM = re.compile(rf"\b(?:{w.MEETING_THEM})\b")
# Games, films and the news: a harm in them is no emergency, whatever time is named.
_SOCIAL_POST = re.compile(rf"\b(?:{w.SOCIAL_POST})\b")
_FICTION = re.compile(
    r"\b(?:game|games|gaming|gamer|fortnite|minecraft|roblox|call of duty|gta|xbox|playstation|ps5|console|"
    r"film|films|movie|movies|documentary|news|history|novel|tv|episode|series|podcast|drama|book|story|"
    r"song|lyrics|rap|drill music|zombies?|sniper|season|talent show|the show|macbeth|essay|museum|"
    r"comic|cartoon|anime|mission|missions|quest|boss fight|npcs?|multiplayer|level \d+)\b"
)

# Read as danger whatever the classifier says: harm or means with a time that is now, someone missing now,
# self-harm intended or done now.
_HARM_TO_SOMEONE = re.compile(
    r"\b(?:knife|knives|blade|machete|gun|guns|firearm|shotgun|rifle|pistol|weapon\w*|bomb\w*|explosive\w*|"
    r"kill\w*|murder\w*|stab\w*|shoot\w*|attack\w*|blow\w* up|set fire|burn (?:\w+ ){0,2}down|burn the|"
    r"strangl\w*|get (?:him|her|them)(?: \w+){0,4} with (?:a|an|his|her)|set (?:\w+ ){1,2}alight|petrol|"
    r"threat\w* (?:him|her|them|to)|hurting (?:him|her|them|me)|"
    r"hurt (?:someone|somebody|people|them|him|her|his|himself|herself|themselves|me|you|us|the|a)|"
    r"beat (?:him|her|them|someone|somebody|up)|batter\w*|smash (?:his|her|their) face|"
    r"shank\w*|knife (?:him|her|them|someone)|axe|crossbow\w*|torch (?:the|his|her|their|it)|set \w+ alight|"
    r"blow\w* (?:\w+ ){1,2}up|poison\w*|run (?:\w+ )?over|"
    r"drive (?:into|at)(?! (?:town|the city|work|the car park|the garage))|"
    r"ram\w* (?:into|the)|"
    r"cut (?:him|her|them) up|cut (?:his|her|their) face|slash\w* (?:him|her|them|his|her|their)|"
    r"jump(?:ing)? (?:him|her|them)|do (?:him|her|them) in|sort (?:him|her|them) out|"
    r"hit(?:ting)? (?:him|her|them|me|us)|do (?:\w+ ){0,4}(?:him|her|them|us|you)(?: all)? in|"
    r"make (?:them|him|her|everyone|you|us|people) pay|glass (?:him|her|them|someone|somebody)|"
    r"finish what (?:he|she|they) started|everyone will remember|drive (?:\w+ ){0,3}(?:into|at) (?:the |a )?"
    r"(?:\w+ )?(?:crowd|people|kids|children|pupils|school|gates|students)|"
    rf"kil|kils|kiled|kilin|killl\w*|murda|murdah|{w.RARE_WEAPONS}|{w.VIOLENT_IDIOMS}|{w.SLANG_HARM}|"
    rf"{w.EXPLOITED}|{w.SOMETHING_BAD})\b"
)
# Harm told as going on: "she's being forced into a car", "a man is following her home".
_HAPPENING = re.compile(
    r"\bbeing (?:forced|dragged|held|followed|chased|hurt|hit|beaten|attacked|threatened)\b|"
    r"\b(?:is|s|are|re) (?:following|chasing) (?:\w+ ){1,2}(?:home|now)\b|"
    r"\bjust been (?:hit|stabbed|attacked|shot|beaten|hurt|punched|kicked|threatened|glassed)\b|"
    r"\b(?:is|s|are|re) (?:hitting|beating|hurting|strangling|choking|attacking|stabbing) "
    r"(?:him|her|them|me|us|someone|somebody)\b|"
    r"\b(?:is|s|are|re|just|has|hes|shes) threat\w* (?:\w+ ){1,3}with\b|"
    r"\b(?:someone|somebody|people|anyone|a kid|a child) (?:will|is going to|gonna|could|might|is gonna) get "
    r"(?:hurt|killed|stabbed|shot)\b|"
    r"\b(?:will|could|might|may|going to|gonna|about to) be (?:seriously |badly )?"
    r"(?:hurt|harmed|killed|stabbed|shot|attacked|beaten|assaulted|abused|taken|snatched|abducted)\b|"
    r"\bwont let (?:him|her|them|me) (?:out|go|leave)\b|"
    r"\b(?:grabbed|bundled|pulled|dragged|forced|pushed|snatched) (?:\w+ ){0,3}into (?:a|the|his|her|their) "
    r"(?:van|car|vehicle|motor)\b|\bbeen (?:snatched|grabbed|abducted|taken) (?:from )?outside\b|"
    r"\blocked (?:him|her|them)sel(?:f|ves) in (?:\w+ ){0,4}with (?:a|an|his|her|their)\b|"
    rf"\b(?:{w.HAPPENING_NOW})\b"
)
# A weapon on someone or brought in is danger now, whatever time is said: "a knife in his locker".
_WEAPON_WITH_THEM = re.compile(
    r"\b(?:knife|knives|blade|machete|gun|firearm|shotgun|rifle|pistol|weapon|axe|crossbow)\b"
    r"(?: \w+){0,3} (?:on (?:him|her|them)|(?:in|down|up) (?:his|her|their) (?:bag|locker|pocket|coat|blazer|"
    r"jacket|waistband|tray|desk|car|trousers|socks?|sleeve|hoodie)|in(?:to)? (?:school|class|college)|"
    r"in the (?:playground|car park|corridor))\b|"
    r"\b(?:hammer|scissors|bat) (?:in (?:his|her|their) (?:bag|pocket|coat|blazer)|on (?:him|her))\b|"
    r"\bwith (?:a|an|his|her|their) (?:\w+ ){0,4}(?:knife|blade|machete|gun|shotgun|rifle|pistol|weapon|"
    r"axe)\b|"
    r"\b(?:brought|bringing|carrying|has|got|taken|took|seen (?:him|her|them) with) (?:a|an|his|her|their) "
    r"(?:\w+ )?(?:knife|blade|machete|gun|firearm|shotgun|rifle|pistol|weapon|axe|crossbow)\b|"
    rf"\b(?:{w.RARE_WEAPONS})\b(?: \w+){{0,3}} (?:on (?:him|her|them)|in (?:his|her|their) "
    r"(?:bag|locker|pocket|coat|blazer|jacket|waistband|tray|desk|car)|in (?:school|class|college))\b"
)
_MISSING_NOW = re.compile(
    rf"\b(?:is|s|has gone|has been|gone|been|still|currently|now) {w.MISSING}|"
    r"\b(?:didnt|hasnt|havent|not|never|wont|isnt) (?:come|came|coming|gone|go|been) (?:home|back)\b|"
    r"\bnot been seen since\b|\b(?:nobody|no one|noone) knows where (?:he|she|they) (?:is|are)\b|"
    r"\b(?:cant|cannot|can not) (?:find|reach|locate|get hold of) (?:him|her|them)\b|"
    r"\b(?:has|have|s|hes|shes|theyve) (?:run|ran) (?:away|off)\b|\bwhereabouts (?:are )?unknown\b|"
    r"\b(?:has|have|s|hes|shes|theyve) (?:just )?(?:disappeared|vanished|gone missing)\b|"
    r"\b(?:hasnt|not|havent) been seen\b|\b(?:nobody|no one|noone)(?:s| has| have)? (?:seen|heard from) "
    r"(?:him|her|them)\b|\b(?:dont|do not|nobody|no one) knows? where (?:he|she|they) (?:is|are)\b|"
    r"\b(?:not|hasnt|havent) (?:turned up|been home)\b|\bbeen gone since\b|\bgone off with\b|"
    r"\breported (?:\w+ )?missing\b|\bgone missin\b|\b(?:no one|nobody|noone) can (?:reach|contact|find)\b|"
    r"\b(?:nobody|no one|noone) knows where (?:he|she|they) (?:went|has gone|s gone)\b|"
    r"\b(?:not|isnt|hasnt got|hasnt been|arent) back (?:from|home|yet)\b|"
    r"\bwo(?:nt|uldnt) be back\b|\b(?:isnt|not) coming back\b|"
    r"\bnot in (?:his|her|their) (?:room|bed)\b|\b(?:cant|cannot) (?:contact|reach) (?:him|her|them)\b|"
    rf"\b(?:{w.NO_SIGN})\b|\b(?:been )?gone all (?:night|day|weekend)\b|\bout all night\b|"
    r"\bmissing since last (?:nite|nyt|nyte)\b|"
    # Note-style, no subject: "missing since tea, not answering"
    r"^(?:\w+ )?missing (?:since (?:this morning|last night|lunch\w*|dinner\w*|tea\w*|breakfast|break|"
    r"yesterday|school|earlier|\d+|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|noon|"
    r"midday|midnight|(?:mon|tues|wednes|thurs|fri|satur|sun)day)|overnight|now|again)\b"
)
# Once the "missing now" words are taken out: "she went missing for a night and came back" is past.
_MISSING_PAST = re.compile(
    r"\b(?:came|come|is|was|got|been) (?:back|home|found)\b|\bfound (?:him|her|them)\b|"
    r"\bwas (?:in|at) the (?:toilets?|loos?|library|office|canteen|field|medical room)\b"
)
_SELF_HARM = re.compile(
    r"\b(?:kill \w*self|kms|end (?:it|it all|his life|her life|their life|my life)|suicid\w*|"
    r"take (?:his|her|their|my) own life|hang \w*self|jump off|jump in front|"
    r"overdose\w*|od|odd on|(?:taken|took|swallowed|necked|had) (?:a lot of|loads of|a load of|lots of|"
    r"a handful of|a box of|a packet of|a bottle of|a bunch of|too many|all(?: of)?|a whole (?:box|packet|"
    r"bottle) of|\d+)(?: \w+){0,2} "
    r"(?:pills|tablets|paracetamol)|cut \w*self|cutting \w*self|ligature|noose|"
    r"ending it|end(?:ing)? (?:it all|things)|want\w* to die|wanna die|"
    r"(?:dont|doesnt|do not|does not) want to (?:be alive|live|be here)|wont be here|"
    r"goodbye (?:letter|note|message|text)|threatening to jump|going to jump|gonna jump|wont come down|"
    r"(?:on|off) (?:the|a) (?:\w+ )?(?:bridge|roof|ledge|cliff|multi storey)|bleeding|"
    r"take (?:them all|all (?:\w+ ){0,2}(?:pills|tablets|meds|medication))|"
    r"downed (?:\w+ ){0,6}(?:pills|tablets|paracetamol)|(?:taken|swallowed) (?:\w+ ){0,3}(?:pills|tablets|"
    r"paracetamol|meds)|took (?:his|her|their) (?:mums|dads|nans|grans) (?:\w+ )?(?:pills|tablets|meds)|"
    r"saying goodbye|(?:wont|not) be alive|cut (?:his|her|their|my) wrists?|blood everywhere|"
    r"cutting (?:his|her|their|my) (?:arms?|legs?|wrists?|skin|thighs?|stomach)|"
    r"top(?:ping)? (?:him|her|them|my)sel(?:f|ves)|(?:on|off) the (?:railway line|railway|train tracks|"
    rf"tracks)|{w.IN_FRONT_OF_TRAFFIC}|{w.MORE_SELF_HARM}|"
    r"(?:cant|cannot|can not) go on(?! (?:with|the|a|an|to|at|holiday|trips?|his|her|their)\b)|"
    r"(?:want|wants|wanted) to be dead(?= *$| by| and| tonight| now| before)|never wake up|"
    r"sorry for everything|"
    r"by the (?:railway|tracks|train line)|top of the (?:car park|multi storey))\b"
)
_INTENT_NOW = re.compile(
    rf"\b(?:{w.NOW}|going to|gonna|gna|about to|will|wants to|wanna|plans to|planning to|has taken|has just|"
    r"hes taken|shes taken|theyve taken|just took|took|swallowed|has cut|is cutting|is bleeding|"
    r"hes cut|shes cut|wont come down|stood|standing|is on|s on|threatening|written|wrote|has a plan|"
    r"hes on|shes on|theyre on|wont be alive|saying goodbye|blood everywhere|being sick|downed|s taken|"
    r"sat on|sitting on|messaged|texted|posted|its over|its all over|gona|goin to|going 2|finna|sent|"
    rf"not waking up|wont wake|says|{w.INTENT_TYPOS})\b"
)

# "Emergency" as an adjective for an ordinary thing: "an emergency staff meeting", "the emergency exit".
_EMERGENCY_THINGS = (
    r"meeting|meetings|staff|services?|contacts?|numbers?|exits?|drills?|plans?|procedures?|lessons?|kit|"
    r"cover|appointments?|dentist|vet|room|department|landing|shows?|programmes?|series|episode|training|"
    r"lines?|brake|stop|fund|funding|budget|repairs?|plumber|electrician|supplies|supply|contraception|pill|"
    r"prescription|medication|inhaler|first aid|evacuation|lighting|workers?|vehicles?|housing|"
    r"accommodation|placements?|foster \w+|surgery|operation|ward|doctor|gp|dental|vet|planning|"
    r"response team|childcare|babysitter|loan|cash|money|haircut|assembly|governors|phone call|call|calls"
)
# Danger said outright: "someone is in danger", "this is an emergency", "a child isn't safe right now".
_DANGER_SAID = re.compile(
    r"\b(?:immediate|imminent|serious|real|grave) (?:danger|risk)\b|"
    r"\b(?:is|are|s|re|could be|might be|may be|being|put|putting|in) (?:in )?danger\b|"
    r"\b(?:is|are|s|re) (?:unsafe|not safe)\b|\b(?:isnt|arent) safe\b|"
    r"\bat risk (?:right )?(?:now|tonight|today)\b|"
    r"\b(?:this is|there is|theres|its|it is|we have|i have|got) an? (?:emergency|emergancy|urgent)\b|"
    rf"\bemergency\b(?! (?:{_EMERGENCY_THINGS})\b)|\blife or death\b|"
    r"\b(?:call|ring|phone) (?:999|the police|an ambulance)\b|"
    r"\bdanger (?:\w+ )?(?:now|quick|quickly|urgent|urgently|asap|rn|help|alert)\b|"
    r"\b(?:urgent|urgently|now|alert|help|quick|real|actual|serious)(?: \w+)? danger\b|^danger$|"
    r"\b(?:report|reporting|reported|log|logging|logged|flag|flagging|flagged|raise|raising|raised|record|"
    r"recording|alerting|alerting you to|there s|theres|got) (?:a |an |some )?(?:\w+ )?danger\b|"
    r"\bat risk rn\b|\bsend (?:help|someone|the police)\b"
)
_NO_DANGER = re.compile(
    r"\b(?:no one|noone|nobody|no body|not in|isnt in|arent in|no immediate|no danger|not an emergency|"
    r"no emergency|not urgent|not in any|if|whether|would|was|were|had been|in the past|used to)\b"
)

# Self-harm told as history: "he took an overdose two years ago and has had support since".
_PAST = re.compile(
    r"\b(?:(?:days|weeks|months|years|year|month|week|while) ago|ages ago|"
    r"last (?:year|month|term|summer|spring|autumn|winter)|in the past|previously|history of|"
    r"used to|when (?:he|she|they) was|when (?:he|she|they) were|had support|years back|"
    r"in (?:19|20)\d\d|(?:back|was|were|when) in year \d+|in primary)\b"
)
# Past and dealt with: "he ran away once when he was eight, it was sorted". Unless the message also says now.
_DEALT_WITH = re.compile(
    rf"{_PAST.pattern}|\b(?:dealt with|sorted|resolved|went to court|a caution|fine now|all fine|"
    r"doing (?:really |very |so )?well|recovered|in custody|on bail|bailed|(?:been|was|got) arrested|"
    r"arrested (?:him|her|them)|youth offending|with the police|"
    r"(?:is|s|are|re) (?:ok|okay|fine|safe) now|"
    r"doing well|long time|once when|when (?:he|she|they) (?:was|were) (?:\d+|little|younger|\w+teen))\b"
)
_STILL_NOW = re.compile(
    r"\b(?:again|right now|rn|at the moment|as we speak|tonight|tonite|2nite|today|tomorrow|tmrw|still)\b"
)
# An ordinary event with its time: the classifier's "report_danger" with only a time is no alarm here.
_ROUTINE = re.compile(
    r"\b(?:lesson|lessons|test|exam|exams|match|show|party|trip|holiday|practice|training|club|appointment|"
    r"dentist|doctors|storm|weather|rain|snow|disco|concert|gig|wedding|birthday|sleepover|homework|"
    r"detention|assembly|bus|cinema|camp|scouts|cubs|beavers|brownies|guides|cadets|"
    # Arrangements between adults: "ring her back on Friday", "the review meeting is next week".
    r"ring|call|phone|email|text|message|get back to|meeting|review|visit|note|notes|arrange\w*|follow up|"
    r"catch up|"
    # Medicine taken as it should be: "she's taken her medication this morning as normal".
    r"as normal|as usual|like normal|like usual|as prescribed|prescribed|medication|"
    # Making things: "filming a tiktok this weekend", "cutting out shapes for her project today".
    r"filming|tiktok|vlog|youtube|project|art|craft\w*|"
    # A lesson on keeping safe: "they practised ringing for help in PSHE today".
    r"pshe|pshce|first aid|role ?play\w*|practi[sc]ed|practi[sc]ing)\b"
)
# Kitchen work: a knife here is a tool.
_COOKING = re.compile(
    r"\b(?:cook\w*|chef|food tech\w*|recipe|onions?|veg\w*|chopp\w*|carv\w*|slic\w*|bak\w*|fishing|"
    r"gut the fish|whittl\w*)\b"
)

# Harmless idioms whose words would otherwise be cues: taken out before looking. "I'd kill for a pizza", a
# water fight, "the exam is going to kill him", "she killed it in the final".
_HARMLESS = re.compile(
    r"\b(?:no one|noone|nobody|no body) (?:is|s|are) (?:in )?(?:any )?(?:danger|at risk|unsafe)\b|"
    r"\bnot in (?:any )?danger\b|\bno (?:immediate )?danger\b|\b(?:not|isnt) an emergency\b|"
    r"\bno emergency\b|\bat risk of\b|"
    r"\b(?:water|pillow|food|snowball|play|nerf|paintball|flour|foam|sword|thumb) ?fight\w*|"
    r"\bnerf guns?\b|\bwater (?:guns?|pistols?|bombs?|balloons?)\b|\bglue guns?\b|\bbath bombs?\b|"
    r"\bkill(?:ing)? for (?:a|an|some|the)\b|"
    r"\bmurder (?:a|an|some) (?:\w+ )?(?:pizza|burger|toastie|sandwich|coffee|tea|drink|pint|curry|kebab|"
    r"chippy|cake|chocolate|biscuit|brew|nap|sleep)\b|\bkill(?:ed|ing)? (?:it|time)\b|\bkilling me\b|"
    r"\bdressed to kill\b|\b(?:photo|photos|shot|shots|shoot|shooting) (?:for|of|at) the (?:yearbook|school|"
    r"class|team|photo\w*)\b|\bphoto ?shoot\b|\b(?:shoot|shooting|shot) (?:hoops|some hoops|(?:a|an|some|"
    r"the|his|her|their) (?:\w+ )?(?:video|film|scene|vlog|tiktok|advert)|videos|films)\b|"
    r"\b(?:exam|exams|test|tests|mocks?|homework|revision|coursework|training|deadline|workout|the run|"
    r"the walk|the heat|maths|science|english|gcses?|a levels?|sats)\b"
    r"(?: \w+){0,4} kill (?:him|her|them|me|us)\b|"
    r"\b(?:fire (?:drill|alarm|brigade|station|works)|bonfire|fireworks?|camp ?fire|fire ?place)\b|"
    r"\bfirst aid\b|\b(?:panic|asthma|heart|anxiety) attacks?\b|\b(?:flu|booster|vaccine) shots?\b|"
    r"\b(?:bread|butter|cooking|vegetable|steak|table|plastic|craft|stanley) knife\b|"
    r"\bknife and fork\b|\bfood tech\w*|\bshoot(?:ing)? (?:at goal|hoops|some hoops)\b|"
    r"\bfight(?:ing)? (?:for|against) (?:his|her|their|a|the) (?:place|spot|team|rights|cause|"
    r"corner|grade)\b|"
    r"\b(?:could|would|d|i?d) murder (?:a|an|some)\b|\bknife (?:crime|skills|safety|amnesty|awareness)\b|"
    r"\b(?:sharp|carving|chefs?|paring) knife\b|"
    r"\b(?:traffic|heat|feet|legs|back|head|stomach|tooth|teeth|music|noise|wait|queue|suspense|homework|"
    r"revision|exams?|tests?|coursework|maths|training)\b"
    r"(?: \w+){0,2} (?:is|was|are|were|s) killing (?:him|her|them|me|us)\b|"
    r"\bkill(?:ing)? (?:us|me|him|her|them) with (?:the|a|an|all|that|this|those|these|his|her) (?:\w+ )?"
    r"(?:test|tests|homework|exam|exams|revision|run|laps|circuits|questions|workout|training|drills)\b|"
    r"\b(?:mum|dad|mam|mom|parents|nan|gran) (?:will|ll|is going to|is gonna|gonna|would|d) "
    r"(?:kill|murder) (?:him|her|me|them|us) (?:if|for) (?:\w+ ){0,3}(?:late|lost|losing|loses|finds out|"
    r"sees|broke|breaking|forgot|forgets|report|grades|detention|phone|mess)\w*|"
    r"\bpolice (?:came|come|are coming|visited|gave|give|did|do|will do|ran|run)(?: \w+){0,4} (?:talk|"
    r"assembly|"
    r"workshop|presentation|session|lesson)\b|"
    r"\bfight\w* (?:with (?:his|her|their) (?:little |big |younger |older )?(?:sisters?|brothers?|siblings?|"
    r"cousins?) )?over (?:the|a|his|her|their) (?:xbox|remote|tv|telly|ipad|tablet|phone|console|game|"
    r"controller|"
    r"sweets|toys?|computer|laptop)\b|"
    r"\bhurt (?:his|her|their|my) (?:knee|ankle|arm|leg|back|head|wrist|foot|hand|finger|shoulder|toe|"
    r"eyes?|neck|elbow|hip|thumb|hamstring|ribs?)\b|"
    # Ordinary aches, outings, compliments and hazards (issue #11): "her eyes hurt after gaming", "hit the
    # gym after school", "the disco was the bomb", "that crossing is dangerous", "an emergency staff meeting".
    r"\b(?:head|eyes?|ears?|back|legs?|arms?|feet|foot|tummy|stomach|belly|teeth|tooth|throat|knees?|"
    r"ankles?|hands?|fingers?|shoulders?|neck|chest|muscles|hips?|thumbs?)(?: are| is| s| re| were| was)?"
    r"(?: (?:still|really|kind of|a bit|both))? (?:hurt|hurts|hurting|ache|aches|aching|are sore|is sore)\b|"
    r"\bhit(?:ting|s)? (?:the )?(?:gym|shops|books|road|hay|sack|pool|town|pub|beach|slopes|nets|snooze|"
    r"jackpot|headlines|high notes?|target|ground running|dance floor|trampoline park)\b|"
    r"\b(?:was|is|s|were|are|looked|looks|sounded|sounds|tasted|tastes) (?:the |da |absolutely |totally |"
    r"literally )?(?:bomb|bombdiggity|dynamite|fire|lit)\b(?! (?:in|at|under|on|near|inside|outside))|"
    r"\bbomb(?:ed)? (?:the|his|her|their|my) (?:exam|test|mocks?|interview|audition)\b|"
    r"\b(?:roads?|crossing|junction|corner|bend|pond|river|lake|canal|quarry|ice|stairs|climbing frame|"
    r"path|pavement|car park|weather|conditions|storm|wind|trampoline|skatepark|stunt|trick|sport|"
    r"bike|scooter)(?: (?:by|near|outside|on|at|in|behind|next to) (?:(?:the|our|his|her|their|that) )?\w+)? "
    r"(?:is|s|are|re|was|were|looks?|gets?|can be|seems?) (?:\w+ )?dangerous\b|"
    r"\bdangerous (?:roads?|crossing|junction|bend|driving|sports?|stunts?|tricks?|weather|conditions)\b|"
    rf"\bemergency (?:{_EMERGENCY_THINGS})\b|\b(?:{w.MORE_IDIOMS}|{w.EVEN_MORE_IDIOMS})\b"
)
# A lesson on calling for help: "they practised ringing the emergency line in PSHE" calls no one now.
_LESSON = re.compile(
    r"\b(?:pshe|pshce|lesson|lessons|taught|teaching|learnt|learned|learning|practi[sc]\w*|role ?play\w*|"
    r"drill|workshop|first aid (?:course|training|session|badge)|how to)\b"
)
_CALL_FOR_HELP = re.compile(
    r"\b(?:(?:call|ring|phone|dial|calling|ringing|phoning|dialling|dialing|called|rang|phoned|dialled) "
    r"(?:\w+ ){0,2}(?:999|911|112|the emergency (?:line|number|services)|emergency services|the police|"
    r"police|an ambulance|ambulance)|999|emergency services|(?:the )?emergency (?:line|number))\b"
)

# Every cue, harmless or not: how many danger training lines are taught without one (tests/dialogue).
DANGER_CUES = re.compile(rf"\b(?:{w.HARM}|{w.MORE_HARM}|{w.AWAY}|{_SAID_AS_TYPED}|{w.TRAVEL}|{w.NOW})\b")


def names_any_cue(text: str) -> bool:
    """Any cue at all, harmless idioms included: every training example of danger must name one."""
    return bool(DANGER_CUES.search(match_key(text)))


def _key(text: str) -> str:
    folded = re.sub(w.AS_PRESCRIBED, " ", _SOCIAL_POST.sub(" post ", match_key(text)))
    if ENDING_THIS.match(folded):
        return ""
    key = _HARMLESS.sub(" ", OATH.sub(" ", _MET_IN_A_GAME.sub("met online", folded)))
    if _LESSON.search(key):
        key = _CALL_FOR_HELP.sub(" ", key)
    if _COOKING.search(key):
        key = re.sub(r"\b(?:knife|knives|blade|blades)\b", " ", key)
    return key


def _over_and_done(key: str) -> bool:
    """Told as past and dealt with, with nothing said to be happening now; the police have already acted
    today, with nothing said to be going on again; or a policy, lesson or what-if, not an event."""
    if _POLICE_ACTED.search(key) and not _STILL_GOING.search(key):
        return True
    if _HYPOTHETICAL.search(key):  # a policy, a lesson or a what-if
        return True
    return bool(_DEALT_WITH.search(key) and not _STILL_NOW.search(key))


def names_fiction(text: str) -> bool:
    """A game, film, show or story: a harm in it needs the classifier surer (bot.dialogue.reading)."""
    return bool(_FICTION.search(_SOCIAL_POST.sub(" post ", match_key(text))))


def has_danger_cue(text: str) -> bool:
    """A harm, means, travel, missing or outright danger word: with the classifier, a danger report."""
    key = _key(text)
    if _over_and_done(key):
        return False
    if _MISSING_PAST.search(key):  # "she went missing for a night and came back"
        key = re.sub(rf"\b(?:{w.MISSING}|run away|ran away|ran off|disappeared|vanished)", " ", key)
    if _CUES.search(key):
        return True
    return bool(_TRAVEL_CUES.search(key) and _for_no_leisure(key))


def _for_no_leisure(key: str) -> bool:
    return not _LEISURE.search(key) or bool(_COERCED.search(key))


def names_a_time_now(text: str) -> bool:
    """A time that is now, for a message with no other cue: not when the message is an ordinary event, a
    game or film, a holiday, or a harmless idiom ("she's going to kill it at the talent show tonight")."""
    return not told_as_ordinary(text) and bool(_TIMES.search(match_key(text)))


def told_as_ordinary(text: str) -> bool:
    """An ordinary event, a game or film, a holiday, a harmless idiom, or something past and dealt with
    ("the police arrested him last night and he's in custody"), a policy or a what-if."""
    folded = match_key(text)
    if _HARMLESS.search(folded) or any(r.search(folded) for r in (_ROUTINE, _FICTION, _LEISURE)):
        return True
    return _over_and_done(folded)


def is_plain_danger(text: str) -> bool:
    """Danger plain enough to read whatever the classifier says: a harm to someone with a time that is now,
    a weapon on someone, travel away now, someone missing now, or self-harm intended or done now; never a
    game or film, nor something told as past and dealt with."""
    key = _key(text)
    told_of = _NO_DANGER.search(key) or _FICTION.search(key) or _HYPOTHETICAL.search(key)
    if _DANGER_SAID.search(key) and not told_of:
        return True
    if _FICTION.search(key) or _over_and_done(key):
        return False
    if (_HARM_TO_SOMEONE.search(key) and _TIMES.search(key)) or _WEAPON_WITH_THEM.search(key):
        return True
    if _HAPPENING.search(key) and not _NO_DANGER.search(key):
        return True
    if _TRAVEL_CUES.search(key) and _TIMES.search(key) and _for_no_leisure(key):
        return True  # "her flight is first thing tomorrow", "he's being picked up later by men we don't know"
    if _MISSING_NOW.search(key) and not _MISSING_PAST.search(_MISSING_NOW.sub(" ", key)):
        return True
    if _GROOMER.search(key) and _MEETING_THEM.search(key) and _TIMES.search(key):
        return True  # "she's meeting the man from snapchat after school", "he's picking her up today"
    return bool(_SELF_HARM.search(key) and _INTENT_NOW.search(key) and not _PAST.search(key))
