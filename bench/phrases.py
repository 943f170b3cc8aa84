"""What the scripted practitioner types. Realistic, varied, and deliberately free of danger reports (the
danger interrupt is its own path and would skew a latency run); one sentence contains "go back" and "stop"
the way real accounts do, which the product must still read as an answer."""

from __future__ import annotations

SENTENCES = (
    "He has been spending long evenings online and seems more withdrawn in class.",
    "His form tutor noticed he stopped going to football practice after half term.",
    "Mum says she has tried to talk to him but he shuts his door and won't engage.",
    "She shared a video in the class group chat that other pupils found upsetting.",
    "I work in the pastoral team at a secondary school in the West Midlands.",
    "He lives with his mum, his stepdad and two younger sisters; his nan matters a lot to him.",
    "Our designated safeguarding lead advised me to complete this and keep careful notes.",
    "Before the summer he was sociable and chatty; since October he mostly keeps to himself.",
    "He told his teacher that people online understand him better than his friends do.",
    "The family speak Polish at home and dad prefers information in writing.",
    "I am not aware of any previous involvement from children's social care.",
    "He enjoys art and has a good relationship with the school librarian.",
    "Mum said «he's not himself lately» and she is worried about him 😟",
    "He wants to go back to his old school and stop seeing the new group he met online.",
    "A classmate showed me screenshots of messages from an account he follows.",
    "She has been late most mornings this term and looks tired in lessons.",
    "His older cousin visits at weekends and they spend hours gaming together.",
    "The youth worker at the community centre said he has been asking a lot of questions.",
    "Family support services worked with them last year around housing.",
    "He is very bright, likes maths and says he wants to be an engineer.",
)

DATES = ("March 2024", "last Tuesday", "03/04/2024", "September 2023", "January 2025", "2 weeks ago")

NUMBERS = ("14", "15", "13", "16", "12")

# Sentence first; after each refusal a different kind of answer; then give up on the question with /skip.
ATTEMPT_KINDS = ("sentence", "date", "number", "sentence")

MOODBOT_MESSAGES = (
    "hi",
    "I'm feeling great",
    "sad",
    "yes",
    "no",
    "bye",
    "hello there",
    "amazing",
    "very unhappy",
    "yes please",
    "not really",
    "goodbye",
)
