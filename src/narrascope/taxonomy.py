"""The public label sets narrascope predicts, with the families and one-line definitions users see.

Label names are exactly the shared tasks' (SemEval-2023 Task 3, SemEval-2025 Task 10,
CheckThat! 2024 Task 1), so predictions can be written in the official formats unchanged.
"""

from __future__ import annotations

GENRES: tuple[str, ...] = ("opinion", "reporting", "satire")

FRAMES: dict[str, str] = {
    "Economic": "costs, benefits or other financial implications",
    "Capacity_and_resources": "availability of physical, human or financial resources",
    "Morality": "religious or ethical implications",
    "Fairness_and_equality": "balance or distribution of rights, responsibilities and resources",
    "Legality_Constitutionality_and_jurisprudence": "rights, freedoms and authority of individuals, courts and government",
    "Policy_prescription_and_evaluation": "policies proposed or in force, and whether they work",
    "Crime_and_punishment": "breaking laws, enforcement and sanctions",
    "Security_and_defense": "threats to the welfare of a group or nation, and defence against them",
    "Health_and_safety": "health care, sanitation, public safety",
    "Quality_of_life": "effects on people's wealth, mobility, daily routines and happiness",
    "Cultural_identity": "traditions, customs and values of a social group",
    "Public_opinion": "attitudes and opinions of the general public, polls and protests",
    "Political": "political actors, parties, elections and partisan manoeuvring",
    "External_regulation_and_reputation": "a nation's standing and relations with other nations",
}

# technique -> (family, one-line definition)
TECHNIQUES: dict[str, tuple[str, str]] = {
    "Name_Calling-Labeling": ("Attack on reputation", "a label that makes the audience hate or love its target"),
    "Guilt_by_Association": ("Attack on reputation", "discredits by linking to a group or person seen negatively"),
    "Doubt": ("Attack on reputation", "questions someone's credibility or character"),
    "Appeal_to_Hypocrisy": ("Attack on reputation", "attacks the target as hypocritical instead of answering"),
    "Questioning_the_Reputation": ("Attack on reputation", "undermines someone's character with strong negative claims"),
    "Flag_Waving": ("Justification", "justifies an idea by appeal to group pride or identity"),
    "Appeal_to_Authority": ("Justification", "claims it is true because an authority says so"),
    "Appeal_to_Popularity": ("Justification", "claims it is right because everyone agrees or does it"),
    "Appeal_to_Values": ("Justification", "ties an idea to values the audience holds dear"),
    "Appeal_to_Fear-Prejudice": ("Justification", "builds support by playing on fear or prejudice"),
    "Causal_Oversimplification": ("Simplification", "one cause for an issue that has many"),
    "False_Dilemma-No_Choice": ("Simplification", "presents two options, or one, when more exist"),
    "Consequential_Oversimplification": ("Simplification", "a first step will lead to a chain of dire consequences"),
    "Straw_Man": ("Distraction", "refutes a distorted version of the opponent's position"),
    "Red_Herring": ("Distraction", "diverts attention to an irrelevant topic"),
    "Whataboutism": ("Distraction", "answers criticism by accusing the critic of something else"),
    "Slogans": ("Call", "a brief, striking phrase meant to stick"),
    "Conversation_Killer": ("Call", "a phrase that discourages critical thought and discussion"),
    "Appeal_to_Time": ("Call", "argues that the time to act is now"),
    "Loaded_Language": ("Manipulative wording", "words with strong emotional implications"),
    "Obfuscation-Vagueness-Confusion": ("Manipulative wording", "deliberately unclear wording"),
    "Exaggeration-Minimisation": ("Manipulative wording", "makes something larger or smaller than it is"),
    "Repetition": ("Manipulative wording", "repeats the same message to make it accepted"),
}

TECHNIQUE_FAMILIES: tuple[str, ...] = (
    "Attack on reputation",
    "Justification",
    "Simplification",
    "Distraction",
    "Call",
    "Manipulative wording",
)

MAIN_ROLES: tuple[str, ...] = ("Protagonist", "Antagonist", "Innocent")

FINE_ROLES: dict[str, tuple[str, ...]] = {
    "Protagonist": ("Guardian", "Martyr", "Peacemaker", "Rebel", "Underdog", "Virtuous"),
    "Antagonist": (
        "Instigator", "Conspirator", "Tyrant", "Foreign Adversary", "Traitor", "Spy",
        "Saboteur", "Corrupt", "Incompetent", "Terrorist", "Deceiver", "Bigot",
    ),
    "Innocent": ("Forgotten", "Exploited", "Victim", "Scapegoat"),
}

CLAIM_LABELS: tuple[str, ...] = ("Yes", "No")

# Narratives (SemEval-2025 Task 10): "Domain: Narrative" and "Domain: Narrative: Subnarrative";
# "Other" stands alone where nothing applies. URW = Ukraine-Russia war, CC = climate change.
NARRATIVES: tuple[str, ...] = (
    'CC: Amplifying Climate Fears',
    'CC: Climate change is beneficial',
    'CC: Controversy about green technologies',
    'CC: Criticism of climate movement',
    'CC: Criticism of climate policies',
    'CC: Criticism of institutions and authorities',
    'CC: Downplaying climate change',
    'CC: Green policies are geopolitical instruments',
    'CC: Hidden plots by secret schemes of powerful groups',
    'CC: Questioning the measurements and science',
    'Other',
    'URW: Amplifying war-related fears',
    'URW: Blaming the war on others rather than the invader',
    'URW: Discrediting Ukraine',
    'URW: Discrediting the West, Diplomacy',
    'URW: Distrust towards Media',
    'URW: Hidden plots by secret schemes of powerful groups',
    'URW: Negative Consequences for the West',
    'URW: Overpraising the West',
    'URW: Praise of Russia',
    'URW: Russia is the Victim',
    'URW: Speculating war outcomes',
)

SUBNARRATIVES: tuple[str, ...] = (
    'CC: Amplifying Climate Fears: Amplifying existing fears of global warming',
    'CC: Amplifying Climate Fears: Doomsday scenarios for humans',
    'CC: Amplifying Climate Fears: Earth will be uninhabitable soon',
    'CC: Amplifying Climate Fears: Other',
    'CC: Amplifying Climate Fears: Whatever we do it is already too late',
    'CC: Climate change is beneficial: CO2 is beneficial',
    'CC: Controversy about green technologies: Other',
    'CC: Controversy about green technologies: Renewable energy is costly',
    'CC: Controversy about green technologies: Renewable energy is dangerous',
    'CC: Controversy about green technologies: Renewable energy is unreliable',
    'CC: Criticism of climate movement: Ad hominem attacks on key activists',
    'CC: Criticism of climate movement: Climate movement is alarmist',
    'CC: Criticism of climate movement: Climate movement is corrupt',
    'CC: Criticism of climate movement: Other',
    'CC: Criticism of climate policies: Climate policies are ineffective',
    'CC: Criticism of climate policies: Climate policies are only for profit',
    'CC: Criticism of climate policies: Climate policies have negative impact on the economy',
    'CC: Criticism of climate policies: Other',
    'CC: Criticism of institutions and authorities: Criticism of international entities',
    'CC: Criticism of institutions and authorities: Criticism of national governments',
    'CC: Criticism of institutions and authorities: Criticism of political organizations and figures',
    'CC: Criticism of institutions and authorities: Criticism of the EU',
    'CC: Criticism of institutions and authorities: Other',
    'CC: Downplaying climate change: CO2 concentrations are too small to have an impact',
    'CC: Downplaying climate change: Climate cycles are natural',
    'CC: Downplaying climate change: Human activities do not impact climate change',
    'CC: Downplaying climate change: Humans and nature will adapt to the changes',
    'CC: Downplaying climate change: Ice is not melting',
    'CC: Downplaying climate change: Other',
    'CC: Downplaying climate change: Temperature increase does not have significant impact',
    'CC: Downplaying climate change: Weather suggests the trend is global cooling',
    'CC: Green policies are geopolitical instruments: Green activities are a form of neo-colonialism',
    'CC: Green policies are geopolitical instruments: Other',
    'CC: Hidden plots by secret schemes of powerful groups: Blaming global elites',
    'CC: Hidden plots by secret schemes of powerful groups: Climate agenda has hidden motives',
    'CC: Hidden plots by secret schemes of powerful groups: Other',
    'CC: Questioning the measurements and science: Data shows no temperature increase',
    'CC: Questioning the measurements and science: Greenhouse effect/carbon dioxide do not drive climate change',
    'CC: Questioning the measurements and science: Methodologies/metrics used are unreliable/faulty',
    'CC: Questioning the measurements and science: Other',
    'CC: Questioning the measurements and science: Scientific community is unreliable',
    'Other',
    'URW: Amplifying war-related fears: By continuing the war we risk WWIII',
    'URW: Amplifying war-related fears: NATO should/will directly intervene',
    'URW: Amplifying war-related fears: Other',
    'URW: Amplifying war-related fears: Russia will also attack other countries',
    'URW: Amplifying war-related fears: There is a real possibility that nuclear weapons will be employed',
    'URW: Blaming the war on others rather than the invader: Other',
    'URW: Blaming the war on others rather than the invader: The West are the aggressors',
    'URW: Blaming the war on others rather than the invader: Ukraine is the aggressor',
    'URW: Discrediting Ukraine: Discrediting Ukrainian government and officials and policies',
    'URW: Discrediting Ukraine: Discrediting Ukrainian military',
    'URW: Discrediting Ukraine: Discrediting Ukrainian nation and society',
    'URW: Discrediting Ukraine: Other',
    'URW: Discrediting Ukraine: Rewriting Ukraine’s history',
    'URW: Discrediting Ukraine: Situation in Ukraine is hopeless',
    'URW: Discrediting Ukraine: Ukraine is a hub for criminal activities',
    'URW: Discrediting Ukraine: Ukraine is a puppet of the West',
    'URW: Discrediting Ukraine: Ukraine is associated with nazism',
    'URW: Discrediting the West, Diplomacy: Diplomacy does/will not work',
    'URW: Discrediting the West, Diplomacy: Other',
    'URW: Discrediting the West, Diplomacy: The EU is divided',
    'URW: Discrediting the West, Diplomacy: The West does not care about Ukraine, only about its interests',
    'URW: Discrediting the West, Diplomacy: The West is overreacting',
    'URW: Discrediting the West, Diplomacy: The West is weak',
    'URW: Discrediting the West, Diplomacy: West is tired of Ukraine',
    'URW: Distrust towards Media: Other',
    'URW: Distrust towards Media: Ukrainian media cannot be trusted',
    'URW: Distrust towards Media: Western media is an instrument of propaganda',
    'URW: Hidden plots by secret schemes of powerful groups: Other',
    'URW: Negative Consequences for the West: Other',
    'URW: Negative Consequences for the West: Sanctions imposed by Western countries will backfire',
    'URW: Negative Consequences for the West: The conflict will increase the Ukrainian refugee flows to Europe',
    'URW: Overpraising the West: NATO will destroy Russia',
    'URW: Overpraising the West: Other',
    'URW: Overpraising the West: The West belongs in the right side of history',
    'URW: Overpraising the West: The West has the strongest international support',
    'URW: Praise of Russia: Other',
    'URW: Praise of Russia: Praise of Russian President Vladimir Putin',
    'URW: Praise of Russia: Praise of Russian military might',
    'URW: Praise of Russia: Russia has international support from a number of countries and people',
    'URW: Praise of Russia: Russia is a guarantor of peace and prosperity',
    'URW: Praise of Russia: Russian invasion has strong national support',
    'URW: Russia is the Victim: Other',
    'URW: Russia is the Victim: Russia actions in Ukraine are only self-defence',
    'URW: Russia is the Victim: The West is russophobic',
    'URW: Russia is the Victim: UA is anti-RU extremists',
    'URW: Speculating war outcomes: Other',
    'URW: Speculating war outcomes: Russian army is collapsing',
    'URW: Speculating war outcomes: Russian army will lose all the occupied territories',
    'URW: Speculating war outcomes: Ukrainian army is collapsing',
)


def technique_family(technique: str) -> str:
    return TECHNIQUES[technique][0]


def narrative_of(subnarrative: str) -> str:
    """'URW: Discrediting Ukraine: Other' -> 'URW: Discrediting Ukraine'; 'Other' -> 'Other'."""
    if subnarrative == "Other":
        return "Other"
    domain, narrative, _ = subnarrative.split(": ", 2)
    return f"{domain}: {narrative}"


def subnarratives_of(narrative: str) -> tuple[str, ...]:
    return tuple(s for s in SUBNARRATIVES if s != "Other" and narrative_of(s) == narrative)


def fine_roles() -> tuple[str, ...]:
    return tuple(role for roles in FINE_ROLES.values() for role in roles)


def main_role_of(fine_role: str) -> str:
    for main, roles in FINE_ROLES.items():
        if fine_role in roles:
            return main
    raise KeyError(fine_role)
