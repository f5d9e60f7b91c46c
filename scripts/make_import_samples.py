"""Write the import sample files in docs/import-samples/ (issue 18). Made-up people only.

    .venv/bin/python scripts/make_import_samples.py [--today YYYY-MM-DD] [--out DIR]

Deterministic: the same files on every run (a seeded generator, fixed dates). `--today` only moves the
attendance grid's class dates, so that they fall on the sessions of the demo course "Japanese A1
evening course (Edogawa)" as `manage.py seed_demo_learning` creates it that day (its sessions are on
today's weekday and two days later, from 70 days ago); the committed grid is made for DEFAULT_TODAY.

applicants-200-sjis.csv is what the browser test imports (tests/browser/test_imports.py): 200 rows in
Shift_JIS (CP932), dates in 令和 and other eras, a card-number column named "在留カードNo" that Tobira
does not propose (the user maps it by hand), a bare 特定活動 on BARE_STATUS_ROWS rows (the user maps the
label) and exactly three rows that remain errors after a correct mapping (ERROR_ROWS).
"""

from __future__ import annotations

import argparse
import csv
import io
import random
import re
import zipfile
from datetime import date, datetime, timedelta
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "docs" / "import-samples"
SEED = 18
DEFAULT_TODAY = date(2026, 12, 6)
CARD_LETTERS = "ABCDEFGHJKLMNPQRSTUVWXYZ"


# Nationality (as an intake sheet writes it): family names | given names, each "Latin:katakana", given
# names alternating male and female. Made-up combinations of common names; none is one of the demo
# caseload's people. Latin letters without accents (Sahin, Herve): Shift_JIS has none, and intake
# sheets write them so.
NAME_POOLS = """
スリランカ
  Wickramasinghe:ウィクラマシンハ Bandara:バンダラ Dissanayake:ディサナヤケ Gunawardena:グナワルデナ Herath:ヘーラト Rathnayake:ラトナヤケ
  Kasun:カスン Dilani:ディラニ Chaminda:チャミンダ Sanduni:サンドゥニ Lahiru:ラヒル Nadeesha:ナディーシャ
ネパール
  Shrestha:シュレスタ Tamang:タマン Rai:ライ Magar:マガール Karki:カルキ Bhandari:バンダリ
  Anil:アニル Sunita:スニタ Prakash:プラカシュ Kamala:カマラ Dipendra:ディペンドラ Sarita:サリタ
ミャンマー
  Hlaing:フライン Naing:ナイン Oo:ウー Win:ウィン Soe:ソー Lwin:ルウィン
  Kyaw_Zin:チョーズィン Hnin_Wai:ニンウェイ Thet_Paing:テッパイン Ei_Mon:エイモン Min_Khant:ミンカン Su_Myat:スーミャッ
トルコ
  Kaya:カヤ Sahin:シャヒン Ozturk:オズトゥルク Arslan:アルスラン Dogan:ドアン Kilic:クルチ
  Emre:エムレ Elif:エリフ Burak:ブラク Zehra:ゼヘラ Deniz:デニズ Baran:バラン
パキスタン
  Qureshi:クレシ Malik:マリク Chaudhry:チョードリー Butt:バット Raza:ラザ Siddiqui:シッディーキー
  Usman:ウスマン Sana:サナ Farhan:ファルハン Hina:ヒナ Adeel:アディール Zainab:ザイナブ
バングラデシュ
  Hossain:ホセイン Rahman:ラーマン Islam:イスラム Sarker:サルカル Chowdhury:チョウドリー Begum:ベグム
  Arif:アリフ Shirin:シリン Tanvir:タンビル Rokeya:ロケヤ Sajib:サジブ Mitu:ミトゥ
カンボジア
  Sim:シム Keo:ケオ Meas:メアス Pich:ピッチ Heng:ヘン Ly:リー
  Dara:ダラ Sophea:ソピア Vuthy:ヴティ Chenda:チェンダ Rithy:リティ Bopha:ボパ
ベトナム
  Pham:ファム Le:レ Hoang:ホアン Vu:ヴー Dang:ダン Bui:ブイ
  Minh_Tuan:ミントゥアン Thi_Lan:ティラン Quoc_Bao:クオックバオ Thu_Ha:トゥーハー Duc_Anh:ドゥックアイン Ngoc_Anh:ゴックアイン
アフガニスタン
  Ahmadzai:アフマドザイ Sultani:スルタニ Karimi:カリミ Wardak:ワルダク Sadat:サダト Nazari:ナザリ
  Farid:ファリド Mariam:マリアム Jawad:ジャワド Shabnam:シャブナム Hamid:ハミド Laila:ライラ
イラン
  Ahmadi:アフマディ Rezaei:レザイ Karimi:キャリミ Moradi:モラディ Jafari:ジャファリ Sadeghi:サデギ
  Ali:アリ Narges:ナルゲス Mehdi:メフディ Parisa:パリサ Hossein:ホセイン Shirin:シーリーン
ウガンダ
  Okello:オケロ Namukasa:ナムカサ Mugisha:ムギシャ Atwine:アトウィネ Kato:カト Nabirye:ナビリエ
  Brian:ブライアン Esther:エスター Ivan:イヴァン Sarah:サラ Moses:モーゼス Prossy:プロッシー
カメルーン
  Nkemdirim:ンケムディリム Fotso:フォツォ Tchoupo:チュポ Eyenga:エイェンガ Manga:マンガ Abena:アベナ
  Landry:ランドリ Solange:ソランジュ Herve:エルヴェ Carine:カリーヌ Yannick:ヤニック Brigitte:ブリジット
コンゴ民主共和国
  Kabongo:カボンゴ Mukendi:ムケンディ Ilunga:イルンガ Tshibanda:チバンダ Lukusa:ルクサ Mbuyi:ムブイ
  Patrick:パトリック Josephine:ジョセフィーヌ Didier:ディディエ Nadege:ナデージュ Tresor:トレゾール Grace:グラース
エチオピア
  Tesfaye:テスファイエ Bekele:ベケレ Alemu:アレム Girma:ギルマ Haile:ハイレ Mengistu:メンギストゥ
  Dawit:ダウィット Meseret:メセレット Yonas:ヨナス Selam:セラム Abebe:アベベ Hanna:ハンナ
シリア
  Al-Hassan:アルハッサン Haddad:ハッダード Khalil:ハリール Najjar:ナッジャール Darwish:ダルウィーシュ Sabbagh:サッバーグ
  Omar:オマル Rania:ラニア Yousef:ユーセフ Lina:リナ Khaled:ハーレド Dima:ディマ
ウクライナ
  Shevchenko:シェフチェンコ Bondarenko:ボンダレンコ Tkachenko:トカチェンコ Melnyk:メルニク Kravchuk:クラフチュク Polishchuk:ポリシュチュク
  Andriy:アンドリー Iryna:イリーナ Oleksandr:オレクサンドル Kateryna:カテリーナ Dmytro:ドミトロ Yuliia:ユリヤ
"""


def _pools(text: str) -> dict[str, tuple[list[tuple[str, str]], list[tuple[str, str]]]]:
    lines = [line.strip() for line in text.strip().splitlines()]
    pools = {}
    for index in range(0, len(lines), 3):
        family, given = (
            [tuple(pair.replace("_", " ").split(":")) for pair in line.split()]
            for line in lines[index + 1 : index + 3]
        )
        pools[lines[index]] = (family, given)
    return pools


NAMES = _pools(NAME_POOLS)
# A given name's gender (the pools alternate male, female).
FEMALE = {
    given for _families, givens in NAMES.values() for index, (given, _kana) in enumerate(givens) if index % 2
}

APPLICANT_HEADERS = [
    "No",
    "受付日",
    "氏名",
    "フリガナ",
    "生年月日",
    "性別",
    "国籍",
    "電話番号",
    "在留資格",
    "許可日",
    "在留期限",
    "在留カードNo",  # not proposed: the user maps it to the residence card number by hand
    "備考",
]
ROWS = 200
# 1-based data rows (the header is line 1, so data row n is line n + 1 of the file).
BARE_STATUS_ROWS = (17, 58, 104, 151, 187)  # a bare 特定活動, for the user to map (to humanitarian)
BARE_STATUS_KIND = "da_humanitarian"
ERROR_ROWS = {
    42: ("生年月日", "1991/2/30"),  # not a day in the calendar
    96: ("在留カードNo", "AB1234567CD"),  # 7 digits: the wrong format
    163: ("在留期限", "平成32年3月31日"),  # 平成 ended on 2019-04-30
}
STATUSES = (
    ("特定活動（難民認定申請中）", 6, 0.55),  # (label, months, share)
    ("定住者", 36, 0.30),
    ("特定活動（人道配慮）", 12, 0.15),
)
NOTES = ("", "", "", "", "日本語教室希望", "就労相談", "通訳必要", "住居相談", "家族同伴", "医療機関紹介済み")


def reiwa(day: date, short: bool) -> str:
    """令和8年4月1日 or R8.4.1 (令和元年 for its first year)."""
    year = day.year - 2018
    if short:
        return f"R{year}.{day.month}.{day.day}"
    return f"令和{'元' if year == 1 else year}年{day.month}月{day.day}日"


def birth_text(day: date, rng: random.Random) -> str:
    style = rng.random()
    if style < 0.5:
        return f"{day.year}/{day.month}/{day.day}"
    if day < date(1989, 1, 8):
        return f"昭和{day.year - 1925}年{day.month}月{day.day}日"
    if style < 0.75:
        return f"平成{day.year - 1988}年{day.month}月{day.day}日"
    return f"H{day.year - 1988}.{day.month:02d}.{day.day:02d}"


def card_number(rng: random.Random) -> str:
    letters = "".join(rng.choice(CARD_LETTERS) for _ in range(4))
    return f"{letters[:2]}{rng.randint(0, 99_999_999):08d}{letters[2:]}"


def applicant_rows(rng: random.Random) -> list[list[str]]:
    rows: list[list[str]] = []
    used: set[tuple[str, str]] = set()
    cards: set[str] = set()
    nationalities = list(NAMES)
    for number in range(1, ROWS + 1):
        while True:
            nationality = rng.choice(nationalities)
            families, givens = NAMES[nationality]
            family, family_kana = rng.choice(families)
            given, given_kana = rng.choice(givens)
            born = date(1965, 1, 1) + timedelta(days=rng.randint(0, 365 * 39))
            if (family, given) not in used:  # no name twice, so a search finds one person
                used.add((family, given))
                break
        intake = DEFAULT_TODAY - timedelta(days=rng.randint(20, 600))
        pick = rng.random()
        label, months = STATUSES[-1][:2]
        total = 0.0
        for status, status_months, share in STATUSES:
            total += share
            if pick < total:
                label, months = status, status_months
                break
        if number in BARE_STATUS_ROWS:
            label, months = "特定活動", 12
        # The current period: begun by DEFAULT_TODAY, running at least a month more.
        length = round(months * 30.44)
        expiry = DEFAULT_TODAY + timedelta(days=rng.randint(30, length - 1))
        start = expiry - timedelta(days=length - 1)
        while True:
            card = card_number(rng)
            if card not in cards:
                cards.add(card)
                break
        if rng.random() < 0.1:  # as typed: lower case, spaces or full width (Tobira normalises them)
            card = rng.choice(
                (card.lower(), f"{card[:2]} {card[2:10]} {card[10:]}", card.translate(_FULL_WIDTH))
            )
        row = {
            "No": str(number),
            "受付日": reiwa(intake, rng.random() < 0.5),
            "氏名": f"{family} {given}",
            "フリガナ": f"{family_kana}　{given_kana}",
            "生年月日": birth_text(born, rng),
            "性別": "女" if given in FEMALE else "男",
            "国籍": nationality,
            "電話番号": f"0{rng.choice((70, 80, 90))}-{rng.randint(1000, 9999)}-{rng.randint(1000, 9999)}",
            "在留資格": label,
            "許可日": reiwa(start, rng.random() < 0.5),
            "在留期限": reiwa(expiry, rng.random() < 0.5),
            "在留カードNo": card,
            "備考": rng.choice(NOTES),
        }
        if number in ERROR_ROWS:
            column, value = ERROR_ROWS[number]
            row[column] = value
        rows.append([row[header] for header in APPLICANT_HEADERS])
    return rows


_FULL_WIDTH = str.maketrans(
    {chr(code): chr(code + 0xFEE0) for code in range(0x21, 0x7F)}  # ASCII → full-width forms
)


def save_workbook(book: Workbook, path: Path) -> None:
    """Save with fixed timestamps inside the zip too, so that a second run writes the same bytes."""
    book.properties.created = book.properties.modified = datetime(2026, 12, 1, 9, 0)
    buffer = io.BytesIO()
    book.save(buffer)
    with zipfile.ZipFile(buffer) as source, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            fixed = zipfile.ZipInfo(item.filename, date_time=(2026, 12, 1, 9, 0, 0))
            fixed.compress_type = zipfile.ZIP_DEFLATED
            content = source.read(item.filename)
            if item.filename == "docProps/core.xml":  # openpyxl stamps the time of saving
                content = re.sub(rb"(<dcterms:modified[^>]*>)[^<]*", rb"\g<1>2026-12-01T09:00:00Z", content)
            target.writestr(fixed, content)


def write_applicants(out: Path, rng: random.Random) -> int:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")  # as Excel writes a CSV
    writer.writerow(APPLICANT_HEADERS)
    rows = applicant_rows(rng)
    writer.writerows(rows)
    (out / "applicants-200-sjis.csv").write_bytes(buffer.getvalue().encode("cp932"))
    return len(rows)


# --- Employers --------------------------------------------------------------------------------------

EMPLOYER_HEADERS = [
    "会社名",
    "フリガナ",
    "業種",
    "所在地",
    "従業員数",
    "ご担当者名",
    "部署",
    "メールアドレス",
    "電話番号",
    "備考",
]
EMPLOYERS = [
    (
        "株式会社みなと精工",
        "ミナトセイコウ",
        "製造",
        "東京都大田区東糀谷3-8-2",
        85,
        "中川 俊介",
        "総務部",
        "nakagawa@minato-seiko.example",
        "03-5735-1120",
        "溶接・組立の経験者歓迎",
    ),
    (
        "株式会社タケダ自動車部品",
        "タケダジドウシャブヒン",
        "製造",
        "群馬県太田市新田木崎町112",
        300,
        "Luis Fernández",
        "製造部",
        "l.fernandez@takeda-parts.example",
        "0276-55-3021",
        "ポルトガル語・スペイン語の通訳常駐",
    ),
    (
        "有限会社あおば介護サービス",
        "アオバカイゴサービス",
        "介護・看護",
        "神奈川県川崎市中原区木月2-14-5",
        32,
        "石田 恵子",
        "施設長",
        "ishida@aoba-kaigo.example",
        "044-712-3381",
        "介護職員初任者研修の支援あり",
    ),
    (
        "さくら食品工業(株)",
        "サクラショクヒンコウギョウ",
        "食品製造",
        "埼玉県川口市領家5-2-9",
        140,
        "松本 健",
        "人事課",
        "matsumoto@sakura-foods.example",
        "048-224-5501",
        "夜勤あり",
    ),
    (
        "株式会社東和建設",
        "トウワケンセツ",
        "建設",
        "千葉県船橋市本町7-11-3",
        60,
        "大野 隆",
        "工事部",
        "ono@towa-kensetsu.example",
        "047-431-9020",
        "",
    ),
    (
        "合同会社グリーンファーム茨城",
        "グリーンファームイバラキ",
        "農業",
        "茨城県つくば市大曽根1456",
        12,
        "木村 由美",
        "代表",
        "kimura@greenfarm.example",
        "029-864-2211",
        "寮あり",
    ),
    (
        "株式会社江戸川ロジスティクス",
        "エドガワロジスティクス",
        "物流",
        "東京都江戸川区臨海町3-6-1",
        210,
        "Priya Nair",
        "Warehouse",
        "p.nair@edogawa-logi.example",
        "03-6808-4410",
        "フォークリフト免許取得支援",
    ),
    (
        "ホテル錦糸町ステーション",
        "ホテルキンシチョウステーション",
        "宿泊",
        "東京都墨田区江東橋2-19-7",
        45,
        "佐々木 美穂",
        "フロント",
        "sasaki@hotel-kinshicho.example",
        "03-3631-7000",
        "英語を話せる方歓迎",
    ),
    (
        "株式会社ヨコハマ・クリーンサービス",
        "ヨコハマクリーンサービス",
        "清掃",
        "神奈川県横浜市鶴見区鶴見中央4-3-2",
        75,
        "渡辺 大輔",
        "営業部",
        "watanabe@yokohama-clean.example",
        "045-502-1188",
        "",
    ),
    (
        "医療法人社団 ひかり会",
        "ヒカリカイ",
        "介護・看護",
        "東京都足立区千住3-1-4",
        120,
        "小林 直子",
        "看護部",
        "kobayashi@hikari-kai.example",
        "03-3882-6600",
        "EPA 以外の外国人材は初めて",
    ),
    (
        "レストラン ル・ソレイユ",
        "ル・ソレイユ",
        "飲食",
        "東京都港区麻布十番2-8-10",
        18,
        "藤井 翔",
        "料理長",
        "fujii@lesoleil.example",
        "03-5439-8877",
        "キッチン補助",
    ),
    (
        "株式会社北関東ファーム",
        "キタカントウファーム",
        "農業",
        "栃木県宇都宮市清原工業団地8-1",
        40,
        "高橋 誠",
        "農場長",
        "takahashi@kitakanto-farm.example",
        "028-667-4030",
        "",
    ),
    (
        "有限会社丸山塗装",
        "マルヤマトソウ",
        "建設",
        "東京都葛飾区立石6-2-15",
        9,
        "丸山 修",
        "代表取締役",
        "maruyama@maruyama-tosou.example",
        "03-3691-2244",
        "日本語 N4 程度で可",
    ),
    (
        "株式会社ミライ・ソフトウェア",
        "ミライソフトウェア",
        "情報通信",
        "東京都渋谷区道玄坂1-12-1",
        65,
        "Anh Nguyen",
        "採用チーム",
        "recruit@mirai-soft.example",
        "03-6416-0900",
        "エンジニア職(英語可)",
    ),
    (
        "協同組合ふじみ野ランドリー",
        "フジミノランドリー",
        "清掃",
        "埼玉県ふじみ野市福岡2-3-8",
        25,
        "池田 里美",
        "工場長",
        "ikeda@fujimino-laundry.example",
        "049-261-7755",
        "週20時間から",
    ),
]


def write_employers(out: Path) -> int:
    book = Workbook()
    sheet = book.active
    sheet.title = "取引先"
    sheet.append(EMPLOYER_HEADERS)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
        cell.fill = PatternFill("solid", fgColor="DDEBF7")
    for employer in EMPLOYERS:
        sheet.append(list(employer))
    # The first two employers share an industry, written once in a merged cell as people do: the
    # importer repeats the merged range's value on each row (and says so).
    sheet["C3"] = None
    sheet.merge_cells("C2:C3")
    sheet["C2"].alignment = Alignment(vertical="center")
    for column, width in zip("ABCDEFGHIJ", (32, 28, 12, 36, 10, 18, 14, 34, 16, 30), strict=True):
        sheet.column_dimensions[column].width = width
    save_workbook(book, out / "employers.xlsx")
    return len(EMPLOYERS)


# --- Attendance ---------------------------------------------------------------------------------------

# "Japanese A1 evening course (Edogawa)" of learning's demo: its learners as the trainer writes them
# (without Mohamed Rizwan, who dropped out).
COURSE = "Japanese A1 evening course (Edogawa)"
LEARNERS = (
    "Nimal Fernando",
    "Serhat Aslan",
    "Rojda Aslan",
    "Somchai Srisuk",
    "Nattaya Boonmee",
    "Sokha Chan",
    "Aung Kyaw Moe",
)


def class_dates(today: date) -> list[date]:
    """The course's sessions of the last four weeks up to yesterday (today's weekday and two days
    later, as demo_learning makes them)."""
    weekdays = {today.weekday(), (today.weekday() + 2) % 7}
    return [
        today - timedelta(days=n)
        for n in range(28, 0, -1)
        if (today - timedelta(days=n)).weekday() in weekdays
    ]


def write_attendance(out: Path, rng: random.Random, today: date) -> int:
    book = Workbook()
    sheet = book.active
    sheet.title = "出席簿"
    days = class_dates(today)
    weekday_names = "月火水木金土日"
    sheet.append(
        ["氏名", *(f"{day.month}/{day.day}({weekday_names[day.weekday()]})" for day in days), "出席率"]
    )
    for cell in sheet[1]:
        cell.font = Font(bold=True)
        cell.alignment = Alignment(horizontal="center")
    for row_number, learner in enumerate(LEARNERS, start=2):
        marks = [rng.choices(("○", "×", "遅"), weights=(8, 1, 1))[0] for _ in days]
        sheet.append([learner, *marks])
        last = sheet.cell(row=row_number, column=len(days) + 1).column_letter
        # A formula (no saved value: openpyxl cannot write one); the importer ignores this column.
        sheet.cell(
            row=row_number,
            column=len(days) + 2,
            value=f'=COUNTIF(B{row_number}:{last}{row_number},"○")/{len(days)}',
        )
    sheet.column_dimensions["A"].width = 20
    save_workbook(book, out / "attendance-grid.xlsx")
    return len(LEARNERS)


# --- Periods ------------------------------------------------------------------------------------------

# Demo people (casework.management.demo_people: name and date of birth are fixed, reference codes are
# not: they depend on the day the demo was seeded) with their next period.
PERIODS = (
    ("Perera Suriya", "1988/3/14", "特定活動（難民認定申請中）"),
    ("Yılmaz Mehmet", "1990/2/17", "特定活動（難民認定申請中）"),
    ("Srisuk Somchai", "1976/12/1", "定住者"),
    ("Khan Muhammad Imran", "1986/1/25", "特定活動（人道配慮）"),
    ("Kumar Rajesh", "1980/7/7", "特定活動（難民認定申請中）"),
    ("Thapa Ram Bahadur", "1977/2/2", "定住者"),
)


def write_periods(out: Path, today: date) -> int:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(["氏名", "生年月日", "在留資格", "在留開始日", "在留期限"])
    start = date(today.year + 1, 6, 1)  # after the demo's current periods
    for index, (name, born, label) in enumerate(PERIODS):
        first = start + timedelta(days=7 * index)
        months = 36 if label == "定住者" else 6
        end = first + timedelta(days=round(months * 30.44) - 1)
        writer.writerow([name, born, label, f"{first:%Y/%m/%d}", reiwa(end, index % 2 == 1)])
    (out / "periods.csv").write_bytes(buffer.getvalue().encode("utf-8-sig"))
    return len(PERIODS)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--today", type=date.fromisoformat, default=DEFAULT_TODAY)
    parser.add_argument("--out", type=Path, default=OUT)
    options = parser.parse_args()
    options.out.mkdir(parents=True, exist_ok=True)
    rng = random.Random(SEED)  # noqa: S311 - sample data, not secrets
    grid_rng = random.Random(SEED + 1)  # noqa: S311
    counts = {
        "applicants-200-sjis.csv": write_applicants(options.out, rng),
        "employers.xlsx": write_employers(options.out),
        "attendance-grid.xlsx": write_attendance(options.out, grid_rng, options.today),
        "periods.csv": write_periods(options.out, DEFAULT_TODAY),
    }
    for name, rows in counts.items():
        print(f"{name}: {rows} rows")


if __name__ == "__main__":
    main()
