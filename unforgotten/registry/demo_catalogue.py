"""Fictional catalogue of the demo and scale data: ten countries, their laws, courts and places.

Article numbers, titles, courts and facilities are invented or generic, in the
style of each country's; they describe no real case and no real person. ``unforgotten demo-data``
writes them through the action functions; ``--people`` (scale data) reuses them.
"""

from __future__ import annotations

from dataclasses import dataclass

from unforgotten.registry import vocabularies as v


@dataclass(frozen=True)
class ArticleSpec:
    code: str
    article: str
    part: str
    title: str


@dataclass(frozen=True)
class FacilitySpec:
    name: str
    kind: str
    place: str
    postal_address: str = ""


@dataclass(frozen=True)
class CountrySpec:
    code: str
    language: str  # language of names written in the native script (BCP 47)
    script: str  # ISO 15924 of native-script names
    agency: str
    court_kind: str  # the kind of court political cases usually go to
    courts: tuple[str, ...]
    articles: tuple[ArticleSpec, ...]
    facilities: tuple[FacilitySpec, ...]
    case_groups: tuple[str, ...]


F = v.FacilityKind

COUNTRIES: dict[str, CountrySpec] = {
    "BY": CountrySpec(
        "BY", "be", "Cyrl", "Investigative Committee", v.CourtKind.CIVILIAN,
        ("Minsk City Court", "Homiel Regional Court", "Frunzienski District Court of Minsk"),
        (ArticleSpec("Criminal Code", "342", "1", "Organisation of actions grossly violating public order"),
         ArticleSpec("Criminal Code", "361-1", "1", "Participation in an extremist formation"),
         ArticleSpec("Criminal Code", "130", "3", "Incitement of social hatred"),
         ArticleSpec("Criminal Code", "368", "", "Insulting the head of state"),
         ArticleSpec("Criminal Code", "369", "", "Insulting a public official")),
        (FacilitySpec("Pre-trial Detention Centre No. 8", F.PRE_TRIAL_CENTRE, "Minsk", "PO Box 8-17, Minsk"),
         FacilitySpec("Penal Colony No. 12", F.COLONY, "Homiel region", "PO Box 12, Homiel region"),
         FacilitySpec("Women's Penal Colony No. 21", F.COLONY, "Homiel region", "PO Box 21, Homiel region")),
        ("Autumn marches case", "Chat administrators case", "Independent trade union case"),
    ),
    "RU": CountrySpec(
        "RU", "ru", "Cyrl", "Federal Security Service", v.CourtKind.CIVILIAN,
        ("Moscow City Court", "Second Western District Military Court", "Tverskoy District Court"),
        (ArticleSpec("Criminal Code", "207.3", "2", "Public dissemination of knowingly false information about the armed forces"),
         ArticleSpec("Criminal Code", "280.3", "1", "Repeated discrediting of the armed forces"),
         ArticleSpec("Criminal Code", "282.2", "2", "Participation in an extremist organisation"),
         ArticleSpec("Criminal Code", "275", "", "High treason"),
         ArticleSpec("Criminal Code", "212.1", "", "Repeated violation of the rules for public events")),
        (FacilitySpec("Pre-trial Detention Centre No. 9", F.PRE_TRIAL_CENTRE, "Moscow", "ul. Vymyshlennaya 9, Moscow"),
         FacilitySpec("Penal Colony No. 17", F.COLONY, "Vladimir region", "PO Box 17, Vladimir region"),
         FacilitySpec("Prison No. 3", F.PRISON, "Ivanovo region", "PO Box 3, Ivanovo region")),
        ("Anti-war posts case", "Reading club case", "Municipal deputies case"),
    ),
    "AZ": CountrySpec(
        "AZ", "az", "Latn", "Main Police Department", v.CourtKind.CIVILIAN,
        ("Baku Grave Crimes Court", "Khatai District Court"),
        (ArticleSpec("Criminal Code", "206.3.2", "", "Smuggling by a group of persons by prior agreement"),
         ArticleSpec("Criminal Code", "192.3.2", "", "Illegal entrepreneurship yielding large income"),
         ArticleSpec("Criminal Code", "283.2.2", "", "Incitement of national, racial or religious hatred"),
         ArticleSpec("Criminal Code", "234.4.3", "", "Illegal possession of narcotics for sale"),
         ArticleSpec("Criminal Code", "233", "", "Organising actions that violate public order")),
        (FacilitySpec("Pre-trial Detention Centre No. 5", F.PRE_TRIAL_CENTRE, "Baku"),
         FacilitySpec("Penitentiary Institution No. 14", F.PRISON, "Absheron district")),
        ("Independent media case", "Opposition youth case"),
    ),
    "IR": CountrySpec(
        "IR", "fa", "Arab", "Intelligence Ministry", v.CourtKind.SPECIAL,
        ("Revolutionary Court of Tehran, Branch 26", "Revolutionary Court of Karaj, Branch 2"),
        (ArticleSpec("Islamic Penal Code", "500", "", "Propaganda against the state"),
         ArticleSpec("Islamic Penal Code", "610", "", "Assembly and collusion against national security"),
         ArticleSpec("Islamic Penal Code", "498", "", "Forming a group to disturb national security"),
         ArticleSpec("Islamic Penal Code", "286", "", "Corruption on earth"),
         ArticleSpec("Islamic Penal Code", "514", "", "Insulting the Supreme Leader")),
        (FacilitySpec("Ward 7, Central Prison", F.PRISON, "Tehran"),
         FacilitySpec("Women's Ward, Qarchak-e Nou Prison", F.PRISON, "Tehran province"),
         FacilitySpec("Unmarked detention site", F.UNOFFICIAL, "Karaj")),
        ("Teachers' union case", "Women, Life, Freedom protests", "Bahá'í community case"),
    ),
    "EG": CountrySpec(
        "EG", "ar", "Arab", "Supreme State Security Prosecution", v.CourtKind.SPECIAL,
        ("Emergency State Security Court", "Cairo Criminal Court, Terrorism Circuit 5"),
        (ArticleSpec("Penal Code", "80(d)", "", "Spreading false news abroad"),
         ArticleSpec("Penal Code", "102 bis", "", "Deliberately disseminating false news"),
         ArticleSpec("Protest Law (107/2013)", "7", "", "Participating in an unauthorised protest"),
         ArticleSpec("Anti-Terrorism Law (94/2015)", "12", "", "Joining a terrorist group"),
         ArticleSpec("Anti-Terrorism Law (94/2015)", "28", "", "Promoting terrorism")),
        (FacilitySpec("Tora Agricultural Prison", F.PRISON, "Cairo"),
         FacilitySpec("Badr Correctional Centre 3", F.PRISON, "Badr City"),
         FacilitySpec("Women's Prison, Qanater", F.PRISON, "Qalyubia")),
        ("Case 1412 of 2020", "Journalists' syndicate case"),
    ),
    "SA": CountrySpec(
        "SA", "ar", "Arab", "State Security Presidency", v.CourtKind.SPECIAL,
        ("Specialized Criminal Court, Riyadh",),
        (ArticleSpec("Anti-Terrorism Law (2017)", "30", "", "Describing the King or Crown Prince offensively"),
         ArticleSpec("Anti-Terrorism Law (2017)", "34", "", "Supporting terrorist ideology"),
         ArticleSpec("Anti-Cybercrime Law (2007)", "6", "1", "Producing material impinging on public order"),
         ArticleSpec("Anti-Terrorism Law (2017)", "43", "", "Communicating with foreign media to harm the state")),
        (FacilitySpec("Al-Ha'ir Prison", F.PRISON, "Riyadh"),
         FacilitySpec("Dhahban Prison", F.PRISON, "Jeddah")),
        ("Online commentators case", "Women's rights campaigners case"),
    ),
    "CN": CountrySpec(
        "CN", "zh", "Hans", "Public Security Bureau", v.CourtKind.CIVILIAN,
        ("Intermediate People's Court, Chengdu", "Haidian District People's Court"),
        (ArticleSpec("Criminal Law", "293", "", "Picking quarrels and provoking trouble"),
         ArticleSpec("Criminal Law", "105", "2", "Inciting subversion of state power"),
         ArticleSpec("Criminal Law", "105", "1", "Subversion of state power"),
         ArticleSpec("Criminal Law", "300", "", "Using a cult to undermine law enforcement"),
         ArticleSpec("Criminal Law", "249", "", "Inciting ethnic hatred")),
        (FacilitySpec("Municipal Detention Centre No. 3", F.PRE_TRIAL_CENTRE, "Chengdu"),
         FacilitySpec("Provincial Prison No. 2", F.PRISON, "Sichuan"),
         FacilitySpec("Vocational Training Centre", F.CAMP, "Xinjiang"),
         FacilitySpec("Residential surveillance site", F.UNOFFICIAL, "Beijing")),
        ("House church case", "Labour NGO case", "Citizens' journalism case"),
    ),
    "VN": CountrySpec(
        "VN", "vi", "Latn", "Ministry of Public Security", v.CourtKind.CIVILIAN,
        ("People's Court of Hanoi", "People's Court of Nghe An"),
        (ArticleSpec("Penal Code 2015", "117", "", "Making, storing or spreading materials against the State"),
         ArticleSpec("Penal Code 2015", "331", "", "Abusing democratic freedoms against the interests of the State"),
         ArticleSpec("Penal Code 2015", "109", "", "Activities aimed at overthrowing the people's administration"),
         ArticleSpec("Penal Code 2015", "318", "", "Disturbing public order")),
        (FacilitySpec("Detention Centre B14", F.PRE_TRIAL_CENTRE, "Hanoi"),
         FacilitySpec("Prison No. 6", F.PRISON, "Nghe An")),
        ("Environmental bloggers case", "Land rights case"),
    ),
    "TR": CountrySpec(
        "TR", "tr", "Latn", "Anti-Terror Branch", v.CourtKind.CIVILIAN,
        ("Istanbul 26th High Criminal Court", "Diyarbakır 9th High Criminal Court"),
        (ArticleSpec("Turkish Penal Code", "314", "2", "Membership of an armed organisation"),
         ArticleSpec("Anti-Terror Law (3713)", "7", "2", "Propaganda for a terrorist organisation"),
         ArticleSpec("Turkish Penal Code", "299", "", "Insulting the President"),
         ArticleSpec("Turkish Penal Code", "217/A", "", "Publicly disseminating misleading information"),
         ArticleSpec("Law on Meetings (2911)", "32", "", "Resisting the dispersal of a demonstration")),
        (FacilitySpec("Marmara Prison", F.PRISON, "Istanbul"),
         FacilitySpec("High Security Prison No. 2", F.PRISON, "Edirne")),
        ("Park protests case", "Newspaper columnists case"),
    ),
    "NI": CountrySpec(
        "NI", "es", "Latn", "Police Judicial Assistance Directorate", v.CourtKind.CIVILIAN,
        ("Managua District Criminal Court No. 10", "Managua Court of Appeal"),
        (ArticleSpec("Penal Code", "410", "", "Conspiracy to undermine national integrity"),
         ArticleSpec("Law 1055", "1", "", "Acts undermining independence and sovereignty"),
         ArticleSpec("Special Cybercrimes Law (1042)", "30", "", "Spreading false news"),
         ArticleSpec("Penal Code", "412", "", "Propagation of false news")),
        (FacilitySpec("Police Judicial Assistance Directorate cells", F.POLICE_STATION, "Managua"),
         FacilitySpec("National Penitentiary System, Tipitapa", F.PRISON, "Tipitapa"),
         FacilitySpec("Women's Integral Penitentiary Establishment", F.PRISON, "Tipitapa")),
        ("Student movement case", "Peasant leaders case"),
    ),
}

COUNTRY_CODES: tuple[str, ...] = tuple(COUNTRIES)
