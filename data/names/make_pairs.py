#!/usr/bin/env python3
"""Generates data/names/pairs.csv, izde's labelled set of name pairs.

Every name is synthetic: a given name and a father's name drawn from the common name
parts below, combined at random, then written the way different sources write it:
Kazakh Cyrillic (with -ұлы/-қызы or -ов/-ова or bare), Latin romanisations of several
styles, Uyghur Arabic script (derived from ULY by rule), Uyghur Cyrillic, Chinese
characters (the usual transcription characters, Given·Father order) and their pinyin.

Each pair is labelled 1 (same person, two forms) or 0 (a hard non-match: a sibling
with the same father and a similar given name, a namesake with the same given name,
or a different father with a similar name). Half the pairs are for calibrating the
threshold ("calibrate"), half for reporting accuracy ("holdout").

Usage: python3 data/names/make_pairs.py > data/names/pairs.csv   (deterministic)
"""
import csv
import random
import sys

# Kazakh parts: Kazakh Cyrillic, Chinese transcription(s).
KAZAKH_MALE = [
    ("Нұрлан", ["努尔兰"]), ("Нұрбол", ["努尔波力"]), ("Нұржан", ["努尔江"]),
    ("Ерлан", ["叶尔兰"]), ("Ержан", ["叶尔江"]), ("Серік", ["赛力克"]),
    ("Бауыржан", ["巴吾尔江"]), ("Асқар", ["阿斯哈尔"]), ("Дәулет", ["达吾列提"]),
    ("Қайрат", ["哈依拉提"]), ("Мұрат", ["木拉提"]), ("Ардақ", ["阿尔达克"]),
    ("Талғат", ["塔力哈提"]), ("Бақыт", ["巴合提"]), ("Болат", ["波拉提"]),
    ("Бекзат", ["别克扎提"]), ("Ақылбек", ["阿克勒别克"]), ("Ербол", ["叶尔波力"]),
]
KAZAKH_FEMALE = [
    ("Қалида", ["卡丽达"]), ("Айгүл", ["阿依古丽"]), ("Айнұр", ["阿依努尔"]),
    ("Гүлнар", ["古丽娜尔"]), ("Жанар", ["加娜尔"]), ("Сәуле", ["萨吾列"]),
    ("Динара", ["迪娜拉"]), ("Гүлмира", ["古丽米拉"]), ("Назгүл", ["娜孜古丽"]),
    ("Айжан", ["阿依江"]), ("Әсем", ["阿赛木"]), ("Баян", ["巴燕", "巴扬"]),
]
KAZAKH_FATHER = [
    ("Ақытхан", ["阿克提汗"]), ("Тұрсын", ["吐尔逊"]), ("Серікбай", ["赛力克拜"]),
    ("Жұмабай", ["居马拜"]), ("Оспан", ["奥斯潘"]), ("Қасым", ["哈斯木"]),
    ("Бекен", ["别肯"]), ("Нұрлан", ["努尔兰"]), ("Ерлан", ["叶尔兰"]),
    ("Мұқаш", ["木卡什"]), ("Сейіт", ["赛依提"]), ("Тоқтар", ["托合塔尔"]),
    ("Әбділ", ["阿布都力"]), ("Қабыл", ["卡布力"]),
]

# Uyghur parts: ULY, Chinese transcription(s).
UYGHUR_MALE = [
    ("Ilham", ["伊力哈木"]), ("Memet", ["买买提", "麦麦提"]), ("Tursun", ["吐尔逊"]),
    ("Abdurehim", ["阿不都热依木"]), ("Ablikim", ["阿不力克木"]), ("Erkin", ["艾尔肯"]),
    ("Nurmemet", ["努尔买买提"]), ("Qurban", ["库尔班"]), ("Yüsüp", ["玉素甫"]),
    ("Exmet", ["艾合买提"]), ("Rozi", ["肉孜"]), ("Adil", ["阿迪力"]),
    ("Alim", ["阿里木"]), ("Perhat", ["帕尔哈提"]), ("Ekber", ["艾克拜尔"]),
    ("Mutellip", ["木塔力甫"]), ("Tahir", ["塔依尔"]), ("Ablet", ["阿布来提"]),
]
UYGHUR_FEMALE = [
    ("Aygül", ["阿依古丽"]), ("Gülnar", ["古丽娜尔"]), ("Patigül", ["帕提古丽"]),
    ("Reyhan", ["热依汗"]), ("Gülnisa", ["古丽尼萨"]), ("Mahire", ["玛依热"]),
    ("Rizwangül", ["热孜万古丽"]), ("Sanawer", ["萨那瓦尔"]), ("Aynur", ["阿依努尔"]),
    ("Amine", ["阿米娜"]), ("Zulpiye", ["祖丽皮耶"]), ("Mihrigül", ["米合日古丽"]),
]
UYGHUR_FATHER = [
    ("Toxti", ["托合提", "吐合提"]), ("Tursun", ["吐尔逊"]), ("Memet", ["买买提"]),
    ("Abdulla", ["阿不都拉"]), ("Qasim", ["卡斯木"]), ("Niyaz", ["尼亚孜"]),
    ("Hoshur", ["吾守尔"]), ("Yasin", ["亚森"]), ("Rozi", ["肉孜"]), ("Osman", ["奥斯曼"]),
    ("Abdukérim", ["阿不都克热木"]), ("Sidiq", ["斯迪克"]), ("Eziz", ["艾则孜"]),
    ("Qadir", ["卡迪尔"]), ("Hesen", ["哈森"]), ("Kérim", ["克热木"]),
]

# ---- Kazakh Cyrillic -> Latin, in several styles (BGN-like, passport-like, ad hoc).
KZ_LETTERS = {
    "а": ["a"], "ә": ["ä", "a", "e"], "б": ["b"], "в": ["v"], "г": ["g"],
    "ғ": ["gh", "g", "ğ"], "д": ["d"], "е": ["e"], "ж": ["zh", "j"], "з": ["z"],
    "и": ["i"], "й": ["y", "i"], "к": ["k"], "қ": ["q", "k"], "л": ["l"], "м": ["m"],
    "н": ["n"], "ң": ["ng", "n"], "о": ["o"], "ө": ["ö", "o"], "п": ["p"], "р": ["r"],
    "с": ["s"], "т": ["t"], "у": ["u", "w"], "ұ": ["u"], "ү": ["ü", "u"], "ф": ["f"],
    "х": ["kh", "h", "x"], "һ": ["h"], "ц": ["ts"], "ч": ["ch"], "ш": ["sh", "ş"],
    "ы": ["y", "i", "ı"], "і": ["i"], "ь": [""], "ъ": [""], "э": ["e"], "ю": ["yu"],
    "я": ["ya"],
}

# ---- ULY -> other Uyghur writings.
ULY_UNITS = ["ch", "gh", "ng", "sh", "zh"]
ULY_ARABIC = {
    "a": "ا", "e": "ە", "é": "ې", "i": "ى", "o": "و", "u": "ۇ", "ö": "ۆ", "ü": "ۈ",
    "b": "ب", "p": "پ", "t": "ت", "j": "ج", "ch": "چ", "x": "خ", "d": "د", "r": "ر",
    "z": "ز", "zh": "ژ", "s": "س", "sh": "ش", "gh": "غ", "f": "ف", "q": "ق", "k": "ك",
    "g": "گ", "ng": "ڭ", "l": "ل", "m": "م", "n": "ن", "h": "ھ", "w": "ۋ", "y": "ي",
}
ULY_CYRILLIC = {
    "a": "а", "e": "ә", "é": "е", "i": "и", "o": "о", "u": "у", "ö": "ө", "ü": "ү",
    "b": "б", "p": "п", "t": "т", "j": "җ", "ch": "ч", "x": "х", "d": "д", "r": "р",
    "z": "з", "zh": "ж", "s": "с", "sh": "ш", "gh": "ғ", "f": "ф", "q": "қ", "k": "к",
    "g": "г", "ng": "ң", "l": "л", "m": "м", "n": "н", "h": "һ", "w": "в", "y": "й",
}
# Latin styles for Uyghur names: ULY, Turkish-style, English ad hoc, ALA-LC-like.
ULY_STYLES = [
    {},
    {"ch": "ç", "sh": "ş", "x": "h", "gh": "ğ", "j": "c", "é": "e", "w": "v"},
    {"x": "kh", "q": "k", "é": "e", "ü": "u", "ö": "o", "gh": "g", "w": "v"},
    {"x": "kh", "é": "e", "e": "ä", "w": "v"},
    {"x": "h", "q": "k", "é": "e", "ü": "u", "ö": "o"},
]
VOWELS = set("aeéiouöü")


def uly_units(word):
    word = word.lower()
    units, i = [], 0
    while i < len(word):
        if word[i:i + 2] in ULY_UNITS:
            units.append(word[i:i + 2])
            i += 2
        else:
            units.append(word[i])
            i += 1
    return units


def uly_to_arabic(word):
    out, previous = [], None
    for u in uly_units(word):
        if u in VOWELS and (previous is None or previous in VOWELS):
            out.append("ئ")  # hamza seat before a vowel that starts a syllable
        out.append(ULY_ARABIC[u])
        previous = u
    return "".join(out)


def uly_to_cyrillic(word):
    return "".join(ULY_CYRILLIC[u] for u in uly_units(word)).capitalize()


def uly_to_latin(word, style):
    return "".join(style.get(u, u) for u in uly_units(word)).capitalize()


def kazakh_to_latin(word, rng):
    style = {letter: rng.choice(choices) for letter, choices in KZ_LETTERS.items()}
    return "".join(style.get(c, c) for c in word.lower()).capitalize()


def han_to_pinyin(han, table):
    return "".join(table[c] for c in han).capitalize()


def load_pinyin(path):
    table = {}
    with open(path, encoding="utf-8") as f:
        for line in f:
            if line.startswith("#") or not line.strip():
                continue
            character, pinyin, _ = line.rstrip("\n").split("\t")
            table[character] = pinyin
    return table


class Person:
    def __init__(self, people, gender, given, father):
        self.people, self.gender, self.given, self.father = people, gender, given, father

    def render(self, script, rng, pinyin):
        given, father = self.given, self.father
        if script in ("han", "pinyin"):
            g, f = rng.choice(given[1]), rng.choice(father[1])
            if script == "han":
                return g + "·" + f if rng.random() < 0.85 else g + f
            return han_to_pinyin(g, pinyin) + " " + han_to_pinyin(f, pinyin)
        if self.people == "kazakh":
            g, f = given[0], father[0]
            r = rng.random()
            if r < 0.3:
                f = f + ("ұлы" if self.gender == "m" else "қызы")
            elif r < 0.6:
                f = f + ("ов" if self.gender == "m" else "ова")
            if script == "latin":
                style_rng = random.Random(rng.random())
                g, f = kazakh_to_latin(g, style_rng), kazakh_to_latin(f, style_rng)
            parts = [g, f]
        else:
            g, f = given[0], father[0]
            if script == "arabic":
                parts = [uly_to_arabic(g), uly_to_arabic(f)]
            elif script == "cyrillic":
                parts = [uly_to_cyrillic(g), uly_to_cyrillic(f)]
            else:
                style = rng.choice(ULY_STYLES)
                parts = [uly_to_latin(g, style), uly_to_latin(f, style)]
        if rng.random() < 0.15:
            parts.reverse()  # family name first, as Russian-style and Chinese lists do
        return " ".join(parts)


def parts_for(people, gender):
    if people == "kazakh":
        return (KAZAKH_MALE if gender == "m" else KAZAKH_FEMALE), KAZAKH_FATHER
    return (UYGHUR_MALE if gender == "m" else UYGHUR_FEMALE), UYGHUR_FATHER


def similar(pool, name, rng):
    """Another name from the pool, preferring one that starts like `name`."""
    others = [p for p in pool if p[0] != name[0]]
    close = [p for p in others if p[0][:2].lower() == name[0][:2].lower()]
    return rng.choice(close if close and rng.random() < 0.7 else others)


def random_person(rng, people):
    gender = rng.choice("mf")
    givens, fathers = parts_for(people, gender)
    return Person(people, gender, rng.choice(givens), rng.choice(fathers))


def hard_negative(person, rng):
    givens, fathers = parts_for(person.people, person.gender)
    kind = rng.choice(["sibling", "namesake", "similar"])
    if kind == "sibling":  # same father, another (often similar) given name
        return kind, Person(person.people, person.gender, similar(givens, person.given, rng),
                            person.father)
    if kind == "namesake":  # same given name, another father
        return kind, Person(person.people, person.gender, person.given,
                            similar(fathers, person.father, rng))
    return kind, Person(person.people, person.gender, similar(givens, person.given, rng),
                        similar(fathers, person.father, rng))


SCRIPTS = {"kazakh": ["latin", "cyrillic", "han", "pinyin"],
           "uyghur": ["latin", "cyrillic", "arabic", "han", "pinyin"]}


def main():
    pinyin = load_pinyin(__file__.rsplit("/", 1)[0] + "/han_turkic.tsv")
    rng = random.Random(20240611)
    combos = []
    for people, scripts in SCRIPTS.items():
        for i, a in enumerate(scripts):
            for b in scripts[i:]:
                if a == b and a not in ("latin", "han"):
                    continue
                combos.append((people, a, b))
    writer = csv.writer(sys.stdout, lineterminator="\n")
    writer.writerow(["id", "split", "people", "combo", "kind", "same", "a", "b"])
    n = 0
    per_combo = 120
    for people, a, b in combos:
        for k in range(per_combo):
            person = random_person(rng, people)
            if k % 2 == 0:
                kind, other = "true", person
            else:
                kind, other = hard_negative(person, rng)
            left = person.render(a, rng, pinyin)
            right = other.render(b, rng, pinyin)
            if kind == "true" and left == right:
                right = other.render(b, rng, pinyin)
            n += 1
            split = "calibrate" if (k // 2) % 2 == 0 else "holdout"
            writer.writerow([n, split, people, a + "-" + b, kind,
                             1 if kind == "true" else 0, left, right])


if __name__ == "__main__":
    main()
