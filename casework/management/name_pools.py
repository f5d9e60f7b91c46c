"""Realistic name parts per nationality (Latin, katakana reading, own script) for demo and bench data.

Nationalities and their weights follow DOMAIN.md §7 (most applicants 2023–2024 from Sri Lanka, Turkey,
Thailand, Pakistan, India, Cambodia; recognised mostly from Afghanistan and Myanmar). Burmese names
have no family name; Vietnamese and Khmer names are written family name first.
"""

from __future__ import annotations

import random
from dataclasses import dataclass


@dataclass(frozen=True)
class Part:
    latin: str
    kana: str
    native: str = ""


@dataclass(frozen=True)
class NamePool:
    given: tuple[Part, ...]
    family: tuple[Part, ...] = ()  # empty: one-name people (Myanmar)
    languages: tuple[str, ...] = ()
    family_first: bool = False  # how the own-script name and its reading are written
    given_parts: tuple[int, int] = (1, 1)  # how many given parts a person has (min, max)
    native_separator: str = " "


def _parts(*rows: tuple[str, ...]) -> tuple[Part, ...]:
    return tuple(Part(*row) for row in rows)


POOLS: dict[str, tuple[NamePool, ...]] = {
    "LK": (
        NamePool(
            given=_parts(
                ("Suriya", "スリヤ", "සූරිය"),
                ("Nimal", "ニマル", "නිමල්"),
                ("Kasun", "カスン", "කසුන්"),
                ("Tharindu", "タリンドゥ", "තරිඳු"),
                ("Chaminda", "チャミンダ", "චමින්ද"),
                ("Dilani", "ディラニ", "දිලානි"),
                ("Sanduni", "サンドゥニ", "සඳුනි"),
                ("Ruwan", "ルワン", "රුවන්"),
                ("Nuwan", "ヌワン", "නුවන්"),
                ("Ishara", "イシャラ", "ඉෂාර"),
                ("Kumari", "クマリ", "කුමාරි"),
                ("Lakmal", "ラクマル", "ලක්මාල්"),
            ),
            family=_parts(
                ("Perera", "ペレラ", "පෙරේරා"),
                ("Fernando", "フェルナンド", "ප්‍රනාන්දු"),
                ("Silva", "シルヴァ", "සිල්වා"),
                ("Jayasinghe", "ジャヤシンハ", "ජයසිංහ"),
                ("Bandara", "バンダラ", "බණ්ඩාර"),
                ("Wickramasinghe", "ウィクラマシンハ", "වික්‍රමසිංහ"),
                ("Dissanayake", "ディサナヤケ", "දිසානායක"),
                ("Herath", "ヘーラト", "හේරත්"),
                ("Rathnayake", "ラトナヤケ", "රත්නායක"),
            ),
            languages=("Sinhala", "English"),
        ),
        NamePool(
            given=_parts(
                ("Kavitha", "カヴィタ", "கவிதா"),
                ("Tharshan", "タルシャン", "தர்ஷன்"),
                ("Nirosha", "ニロシャ", "நிரோஷா"),
                ("Sivakumar", "シヴァクマール", "சிவகுமார்"),
                ("Mathan", "マタン", "மதன்"),
                ("Vasanthi", "ヴァサンティ", "வசந்தி"),
            ),
            family=_parts(
                ("Rajendran", "ラジェンドラン", "ராஜேந்திரன்"),
                ("Selvaraj", "セルヴァラージ", "செல்வராஜ்"),
                ("Sivakumar", "シヴァクマール", "சிவகுமார்"),
                ("Thevarajah", "テーヴァラージャ", "தேவராஜா"),
            ),
            languages=("Tamil", "English"),
        ),
    ),
    "TR": (
        NamePool(
            given=_parts(
                ("Mehmet", "メフメット"),
                ("Ahmet", "アフメット"),
                ("Mustafa", "ムスタファ"),
                ("Hasan", "ハサン"),
                ("İbrahim", "イブラヒム"),
                ("Zeynep", "ゼイネップ"),
                ("Elif", "エリフ"),
                ("Fatma", "ファトマ"),
                ("Emine", "エミネ"),
                ("Rojda", "ロジダ"),
                ("Berfin", "ベルフィン"),
                ("Serhat", "セルハット"),
                ("Welat", "ウェラット"),
                ("Deniz", "デニズ"),
            ),
            family=_parts(
                ("Yılmaz", "ユルマズ"),
                ("Demir", "デミル"),
                ("Çelik", "チェリク"),
                ("Kaya", "カヤ"),
                ("Aslan", "アスラン"),
                ("Doğan", "ドアン"),
                ("Arslan", "アルスラン"),
                ("Aydın", "アイドゥン"),
                ("Özdemir", "オズデミル"),
                ("Koç", "コチ"),
            ),
            languages=("Turkish", "Kurdish (Kurmanji)"),
        ),
    ),
    "TH": (
        NamePool(
            given=_parts(
                ("Somchai", "ソムチャイ", "สมชาย"),
                ("Somsak", "ソムサック", "สมศักดิ์"),
                ("Nattaya", "ナッタヤー", "ณัฐญา"),
                ("Malee", "マリー", "มาลี"),
                ("Anong", "アノン", "อนงค์"),
                ("Prasert", "プラスート", "ประเสริฐ"),
                ("Kanya", "カンヤー", "กันยา"),
                ("Wichai", "ウィチャイ", "วิชัย"),
                ("Siriporn", "シリポーン", "ศิริพร"),
            ),
            family=_parts(
                ("Srisuk", "シースック", "ศรีสุข"),
                ("Boonmee", "ブンミー", "บุญมี"),
                ("Chaiyaporn", "チャイヤポン", "ชัยพร"),
                ("Saetang", "セータン", "แซ่ตั้ง"),
                ("Wongsawat", "ウォンサワット", "วงศ์สวัสดิ์"),
                ("Thongdee", "トンディー", "ทองดี"),
                ("Rattanakorn", "ラッタナコーン", "รัตนากร"),
            ),
            languages=("Thai",),
        ),
    ),
    "PK": (
        NamePool(
            given=_parts(
                ("Muhammad", "ムハンマド", "محمد"),
                ("Imran", "イムラン", "عمران"),
                ("Bilal", "ビラル", "بلال"),
                ("Shahid", "シャヒド", "شاہد"),
                ("Ayesha", "アイシャ", "عائشہ"),
                ("Fatima", "ファティマ", "فاطمہ"),
                ("Asif", "アシフ", "آصف"),
                ("Usman", "ウスマン", "عثمان"),
                ("Zainab", "ザイナブ", "زینب"),
                ("Tariq", "タリク", "طارق"),
            ),
            family=_parts(
                ("Khan", "カーン", "خان"),
                ("Ahmed", "アハメド", "احمد"),
                ("Hussain", "フセイン", "حسین"),
                ("Ali", "アリ", "علی"),
                ("Butt", "バット", "بٹ"),
                ("Malik", "マリク", "ملک"),
                ("Qureshi", "クレシ", "قریشی"),
                ("Chaudhry", "チョードリー", "چوہدری"),
            ),
            languages=("Urdu", "Punjabi", "English"),
            given_parts=(1, 2),
        ),
    ),
    "IN": (
        NamePool(
            given=_parts(
                ("Gurpreet", "グルプリート", "ਗੁਰਪ੍ਰੀਤ"),
                ("Harjit", "ハルジート", "ਹਰਜੀਤ"),
                ("Manpreet", "マンプリート", "ਮਨਪ੍ਰੀਤ"),
                ("Jaswinder", "ジャスウィンダー", "ਜਸਵਿੰਦਰ"),
                ("Amandeep", "アマンディープ", "ਅਮਨਦੀਪ"),
                ("Sukhwinder", "スクウィンダー", "ਸੁਖਵਿੰਦਰ"),
            ),
            family=_parts(
                ("Singh", "シン", "ਸਿੰਘ"),
                ("Kaur", "カウル", "ਕੌਰ"),
                ("Sandhu", "サンドゥ", "ਸੰਧੂ"),
                ("Gill", "ギル", "ਗਿੱਲ"),
            ),
            languages=("Punjabi", "Hindi"),
        ),
        NamePool(
            given=_parts(
                ("Rajesh", "ラジェシュ", "राजेश"),
                ("Sunil", "スニル", "सुनील"),
                ("Priya", "プリヤ", "प्रिया"),
                ("Anil", "アニル", "अनिल"),
                ("Pooja", "プージャ", "पूजा"),
            ),
            family=_parts(
                ("Kumar", "クマール", "कुमार"),
                ("Sharma", "シャルマ", "शर्मा"),
                ("Yadav", "ヤーダヴ", "यादव"),
                ("Patel", "パテル", "पटेल"),
            ),
            languages=("Hindi", "English"),
        ),
    ),
    "KH": (
        NamePool(
            given=_parts(
                ("Sokha", "ソカー", "សុខា"),
                ("Vannak", "ヴァンナック", "វណ្ណៈ"),
                ("Sreymom", "スレイモム", "ស្រីមុំ"),
                ("Dara", "ダラ", "ដារ៉ា"),
                ("Bopha", "ボパー", "បុប្ផា"),
                ("Sophal", "ソパル", "សុផល"),
                ("Chantha", "チャンタ", "ចន្ថា"),
                ("Rithy", "リティ", "រិទ្ធី"),
            ),
            family=_parts(
                ("Chan", "チャン", "ចាន់"),
                ("Sok", "ソック", "សុខ"),
                ("Chea", "チア", "ជា"),
                ("Kim", "キム", "គឹម"),
                ("Heng", "ヘン", "ហេង"),
                ("Meas", "メアス", "មាស"),
                ("Keo", "ケオ", "កែវ"),
            ),
            languages=("Khmer",),
            family_first=True,
        ),
    ),
    "MM": (
        NamePool(
            given=_parts(
                ("Aung", "アウン", "အောင်"),
                ("Kyaw", "チョー", "ကျော်"),
                ("Moe", "モー", "မိုး"),
                ("Thin", "ティン", "သင်း"),
                ("Aye", "エー", "အေး"),
                ("Zaw", "ゾー", "ဇော်"),
                ("Min", "ミン", "မင်း"),
                ("Htut", "トゥッ", "ထွဋ်"),
                ("Hla", "フラ", "လှ"),
                ("Myint", "ミィン", "မြင့်"),
                ("Win", "ウィン", "ဝင်း"),
                ("Su", "スー", "စု"),
                ("Nyein", "ニェイン", "ငြိမ်း"),
                ("Khin", "キン", "ခင်"),
                ("Tun", "トゥン", "ထွန်း"),
                ("Naing", "ナイン", "နိုင်"),
            ),
            languages=("Burmese",),
            given_parts=(2, 3),
            native_separator="",
        ),
    ),
    "AF": (
        NamePool(
            given=_parts(
                ("Ahmad", "アフマド", "احمد"),
                ("Mohammad", "ムハンマド", "محمد"),
                ("Fatima", "ファティマ", "فاطمه"),
                ("Zahra", "ザフラ", "زهرا"),
                ("Nasir", "ナシール", "نصیر"),
                ("Hamid", "ハミド", "حمید"),
                ("Farid", "ファリド", "فرید"),
                ("Mariam", "マリアム", "مریم"),
                ("Shabnam", "シャブナム", "شبنم"),
                ("Wahid", "ワヒド", "وحید"),
            ),
            family=_parts(
                ("Rahimi", "ラヒミ", "رحیمی"),
                ("Noori", "ノーリ", "نوری"),
                ("Haidari", "ハイダリ", "حیدری"),
                ("Ahmadzai", "アフマドザイ", "احمدزی"),
                ("Karimi", "カリミ", "کریمی"),
                ("Sultani", "スルタニ", "سلطانی"),
                ("Hakimi", "ハキミ", "حکیمی"),
                ("Stanekzai", "スタネクザイ", "ستانکزی"),
            ),
            languages=("Dari", "Pashto", "English"),
            given_parts=(1, 2),
        ),
    ),
    "NP": (
        NamePool(
            given=_parts(
                ("Bishnu", "ビシュヌ", "बिष्णु"),
                ("Ram", "ラム", "राम"),
                ("Sita", "シタ", "सीता"),
                ("Krishna", "クリシュナ", "कृष्ण"),
                ("Gita", "ギタ", "गीता"),
                ("Hari", "ハリ", "हरि"),
                ("Sunita", "スニタ", "सुनिता"),
                ("Prakash", "プラカシュ", "प्रकाश"),
                ("Bikash", "ビカシュ", "बिकाश"),
                ("Kamala", "カマラ", "कमला"),
            ),
            family=_parts(
                ("Adhikari", "アディカリ", "अधिकारी"),
                ("Gurung", "グルン", "गुरुङ"),
                ("Thapa", "タパ", "थापा"),
                ("Shrestha", "シュレスタ", "श्रेष्ठ"),
                ("Tamang", "タマン", "तामाङ"),
                ("Rai", "ライ", "राई"),
                ("Magar", "マガル", "मगर"),
                ("Khadka", "カドカ", "खड्का"),
            ),
            languages=("Nepali",),
        ),
    ),
    "BD": (
        NamePool(
            given=_parts(
                ("Rahim", "ラヒム", "রহিম"),
                ("Karim", "カリム", "করিম"),
                ("Nasrin", "ナスリン", "নাসরিন"),
                ("Rashida", "ラシダ", "রাশিদা"),
                ("Jamal", "ジャマル", "জামাল"),
                ("Sultana", "スルタナ", "সুলতানা"),
                ("Habib", "ハビブ", "হাবিব"),
                ("Shirin", "シリン", "শিরিন"),
                ("Mizanur", "ミザヌル", "মিজানুর"),
                ("Farhana", "ファルハナ", "ফারহানা"),
            ),
            family=_parts(
                ("Uddin", "ウッディン", "উদ্দিন"),
                ("Akter", "アクター", "আক্তার"),
                ("Hossain", "ホセイン", "হোসেন"),
                ("Rahman", "ラーマン", "রহমান"),
                ("Islam", "イスラム", "ইসলাম"),
                ("Begum", "ベグム", "বেগম"),
                ("Miah", "ミア", "মিয়া"),
                ("Chowdhury", "チョウドリー", "চৌধুরী"),
            ),
            languages=("Bengali",),
        ),
    ),
    "IR": (
        NamePool(
            given=_parts(
                ("Reza", "レザ", "رضا"),
                ("Maryam", "マルヤム", "مریم"),
                ("Ali", "アリ", "علی"),
                ("Hossein", "ホセイン", "حسین"),
                ("Sara", "サラ", "سارا"),
                ("Mehdi", "メフディ", "مهدی"),
                ("Neda", "ネダ", "ندا"),
                ("Amir", "アミール", "امیر"),
                ("Parisa", "パリサ", "پریسا"),
                ("Behrouz", "ベフルーズ", "بهروز"),
            ),
            family=_parts(
                ("Mohammadi", "モハンマディ", "محمدی"),
                ("Hosseini", "ホセイニ", "حسینی"),
                ("Ahmadi", "アフマディ", "احمدی"),
                ("Rezaei", "レザイ", "رضایی"),
                ("Karimi", "カリミ", "کریمی"),
                ("Moradi", "モラディ", "مرادی"),
                ("Jafari", "ジャファリ", "جعفری"),
            ),
            languages=("Persian",),
        ),
    ),
    "UG": (
        NamePool(
            given=_parts(
                ("Grace", "グレース"),
                ("Joseph", "ジョセフ"),
                ("Sarah", "サラ"),
                ("Moses", "モーゼス"),
                ("Esther", "エスター"),
                ("Ronald", "ロナルド"),
                ("Brian", "ブライアン"),
                ("Harriet", "ハリエット"),
                ("Annet", "アネット"),
            ),
            family=_parts(
                ("Nakato", "ナカト"),
                ("Ssempijja", "センピージャ"),
                ("Okello", "オケロ"),
                ("Namubiru", "ナムビル"),
                ("Mugisha", "ムギシャ"),
                ("Akello", "アケロ"),
                ("Tumusiime", "トゥムシーメ"),
                ("Nansubuga", "ナンスブガ"),
            ),
            languages=("English", "Luganda"),
        ),
    ),
    "CM": (
        NamePool(
            given=_parts(
                ("Jean-Paul", "ジャン＝ポール"),
                ("Christelle", "クリステル"),
                ("Emmanuel", "エマニュエル"),
                ("Brigitte", "ブリジット"),
                ("Serge", "セルジュ"),
                ("Aminatou", "アミナトゥ"),
                ("Pascal", "パスカル"),
                ("Clarisse", "クラリス"),
                ("Nadège", "ナデージュ"),
            ),
            family=_parts(
                ("Mbarga", "ンバルガ"),
                ("Essomba", "エソンバ"),
                ("Kamga", "カムガ"),
                ("Njoya", "ンジョヤ"),
                ("Atangana", "アタンガナ"),
                ("Fotso", "フォツォ"),
                ("Tabi", "タビ"),
            ),
            languages=("French", "English"),
        ),
    ),
    "VN": (
        NamePool(
            given=_parts(
                ("Van Hung", "ヴァン・フン", "Văn Hùng"),
                ("Thi Mai", "ティ・マイ", "Thị Mai"),
                ("Van Nam", "ヴァン・ナム", "Văn Nam"),
                ("Thi Lan", "ティ・ラン", "Thị Lan"),
                ("Minh Tuan", "ミン・トゥアン", "Minh Tuấn"),
                ("Thi Hoa", "ティ・ホア", "Thị Hoa"),
                ("Duc Anh", "ドゥック・アイン", "Đức Anh"),
                ("Thi Huong", "ティ・フオン", "Thị Hương"),
                ("Quang Huy", "クアン・フイ", "Quang Huy"),
            ),
            family=_parts(
                ("Nguyen", "グエン", "Nguyễn"),
                ("Tran", "チャン", "Trần"),
                ("Le", "レ", "Lê"),
                ("Pham", "ファム", "Phạm"),
                ("Hoang", "ホアン", "Hoàng"),
                ("Vu", "ヴー", "Vũ"),
                ("Dang", "ダン", "Đặng"),
                ("Bui", "ブイ", "Bùi"),
            ),
            languages=("Vietnamese",),
            family_first=True,
        ),
    ),
    "UA": (
        NamePool(
            given=_parts(
                ("Olena", "オレナ", "Олена"),
                ("Oleksandr", "オレクサンドル", "Олександр"),
                ("Iryna", "イリーナ", "Ірина"),
                ("Andriy", "アンドリー", "Андрій"),
                ("Nataliia", "ナタリア", "Наталія"),
                ("Dmytro", "ドミトロ", "Дмитро"),
            ),
            family=_parts(
                ("Kovalenko", "コヴァレンコ", "Коваленко"),
                ("Shevchenko", "シェフチェンコ", "Шевченко"),
                ("Bondarenko", "ボンダレンコ", "Бондаренко"),
                ("Tkachenko", "トカチェンコ", "Ткаченко"),
                ("Melnyk", "メルニク", "Мельник"),
            ),
            languages=("Ukrainian", "Russian"),
        ),
    ),
}

# Relative weights of nationalities in generated data (DOMAIN.md §7).
NATIONALITY_WEIGHTS: dict[str, int] = {
    "LK": 15,
    "TR": 12,
    "TH": 8,
    "PK": 9,
    "IN": 8,
    "KH": 7,
    "MM": 8,
    "AF": 5,
    "NP": 7,
    "BD": 6,
    "IR": 4,
    "UG": 3,
    "CM": 3,
    "VN": 4,
    "UA": 1,
}


@dataclass(frozen=True)
class GeneratedName:
    family_name: str
    given_name: str
    name_native: str
    name_katakana: str
    languages: tuple[str, ...]


def generate_name(rng: random.Random, nationality: str) -> GeneratedName:
    """A plausible name of this nationality, with its katakana reading and own-script form."""
    pool = rng.choice(POOLS[nationality])
    low, high = pool.given_parts
    given = rng.sample(pool.given, rng.randint(low, high))
    family = [rng.choice(pool.family)] if pool.family else []
    ordered = [*family, *given] if pool.family_first else [*given, *family]
    native_parts = [part.native for part in ordered]
    return GeneratedName(
        family_name=" ".join(part.latin for part in family),
        given_name=" ".join(part.latin for part in given),
        name_native=pool.native_separator.join(native_parts) if all(native_parts) else "",
        name_katakana="・".join(part.kana for part in ordered),
        languages=pool.languages,
    )
