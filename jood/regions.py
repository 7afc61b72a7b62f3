"""The 13 administrative regions of the Kingdom and their cities, as data (Arabic and English names)."""

import re

from jood.text import normalize_arabic

_ARABIC = re.compile("[\u0600-\u06ff]")

REGIONS: dict[str, tuple[str, str]] = {
    "riyadh": ("الرياض", "Riyadh"),
    "makkah": ("مكة المكرمة", "Makkah"),
    "madinah": ("المدينة المنورة", "Madinah"),
    "qassim": ("القصيم", "Al-Qassim"),
    "eastern": ("المنطقة الشرقية", "Eastern Province"),
    "asir": ("عسير", "Asir"),
    "tabuk": ("تبوك", "Tabuk"),
    "hail": ("حائل", "Hail"),
    "northern_borders": ("الحدود الشمالية", "Northern Borders"),
    "jazan": ("جازان", "Jazan"),
    "najran": ("نجران", "Najran"),
    "baha": ("الباحة", "Al-Baha"),
    "jouf": ("الجوف", "Al-Jouf"),
}


def region_name(code: str, language: str) -> str:
    names = REGIONS.get(code)
    if names is None:
        return code
    return names[0] if language == "ar" else names[1]

# English names of the cities and governorates cases and charities are filed in (the charity types the city in
# Arabic), region by region: every region's seat and its governorates, as the Ministry of Interior lists them, with
# the spellings Saudi bodies use in English. Looked up by the search normal form (jood.text), so "جده", "الاحساء"
# or "مكه المكرمه" find their names too. A city missing here is shown in Arabic on English pages, marked lang="ar".
CITIES_EN: dict[str, dict[str, str]] = {
    "riyadh": {
        "الرياض": "Riyadh", "الدرعية": "Diriyah", "الخرج": "Al-Kharj", "الدوادمي": "Ad-Dawadmi",
        "المجمعة": "Al-Majma'ah", "القويعية": "Al-Quway'iyah", "وادي الدواسر": "Wadi ad-Dawasir",
        "الأفلاج": "Al-Aflaj", "الزلفي": "Az-Zulfi", "شقراء": "Shaqra", "حوطة بني تميم": "Hawtat Bani Tamim",
        "عفيف": "Afif", "السليل": "As-Sulayyil", "ضرما": "Durma", "المزاحمية": "Al-Muzahimiyah", "رماح": "Rumah",
        "ثادق": "Thadiq", "حريملاء": "Huraymila", "الحريق": "Al-Hariq", "الغاط": "Al-Ghat", "مرات": "Marat",
        "الدلم": "Ad-Dilam",
    },
    "makkah": {
        "مكة المكرمة": "Makkah", "مكة": "Makkah", "جدة": "Jeddah", "الطائف": "Taif", "القنفذة": "Al-Qunfudhah",
        "الليث": "Al-Lith", "رابغ": "Rabigh", "الجموم": "Al-Jamoum", "خليص": "Khulais", "الكامل": "Al-Kamil",
        "الخرمة": "Al-Khurmah", "رنية": "Ranyah", "تربة": "Turabah", "المويه": "Al-Muwayh", "ميسان": "Maysan",
        "أضم": "Adham", "العرضيات": "Al-Ardiyat", "بحرة": "Bahrah",
    },
    "madinah": {
        "المدينة المنورة": "Madinah", "المدينة": "Madinah", "ينبع": "Yanbu", "العلا": "AlUla", "المهد": "Al-Mahd",
        "بدر": "Badr", "خيبر": "Khaybar", "الحناكية": "Al-Hanakiyah", "العيص": "Al-Ais", "وادي الفرع": "Wadi al-Fara",
    },
    "qassim": {
        "بريدة": "Buraydah", "عنيزة": "Unaizah", "الرس": "Ar-Rass", "المذنب": "Al-Midhnab", "البكيرية": "Al-Bukayriyah",
        "البدائع": "Al-Badai", "الأسياح": "Al-Asyah", "النبهانية": "An-Nabhaniyah", "عيون الجواء": "Uyun al-Jiwa",
        "رياض الخبراء": "Riyadh al-Khabra", "الشماسية": "Ash-Shimasiyah",
    },
    "eastern": {
        "الدمام": "Dammam", "الخبر": "Khobar", "الظهران": "Dhahran", "الأحساء": "Al-Ahsa", "الهفوف": "Hofuf",
        "المبرز": "Al-Mubarraz", "القطيف": "Qatif", "الجبيل": "Jubail", "حفر الباطن": "Hafar al-Batin",
        "الخفجي": "Khafji", "رأس تنورة": "Ras Tanura", "بقيق": "Abqaiq", "النعيرية": "An-Nu'ayriyah",
        "قرية العليا": "Qaryat al-Ulya", "العديد": "Al-Udaid",
    },
    "asir": {
        "أبها": "Abha", "خميس مشيط": "Khamis Mushait", "بيشة": "Bisha", "النماص": "An-Namas",
        "محايل عسير": "Muhayil Asir", "محايل": "Muhayil", "سراة عبيدة": "Sarat Abidah", "أحد رفيدة": "Ahad Rafidah",
        "ظهران الجنوب": "Dhahran al-Janub", "رجال ألمع": "Rijal Alma", "تثليث": "Tathlith", "بلقرن": "Balqarn",
        "المجاردة": "Al-Majardah", "بارق": "Bariq", "تنومة": "Tanomah",
    },
    "tabuk": {
        "تبوك": "Tabuk", "أملج": "Umluj", "الوجه": "Al-Wajh", "ضباء": "Duba", "تيماء": "Tayma", "حقل": "Haql",
        "البدع": "Al-Bad",
    },
    "hail": {
        "حائل": "Hail", "بقعاء": "Baqaa", "الغزالة": "Al-Ghazalah", "الشنان": "Ash-Shinan", "الحائط": "Al-Hait",
        "السليمي": "As-Sulaimi", "الشملي": "Ash-Shamli", "موقق": "Mawqaq", "سميراء": "Sumaira",
    },
    "northern_borders": {"عرعر": "Arar", "رفحاء": "Rafha", "طريف": "Turaif", "العويقيلة": "Al-Uwayqilah"},
    "jazan": {
        "جازان": "Jazan", "جيزان": "Jazan", "صبيا": "Sabya", "أبو عريش": "Abu Arish", "صامطة": "Samtah",
        "بيش": "Baish", "ضمد": "Damad", "العارضة": "Al-Aridah", "الدرب": "Ad-Darb", "فرسان": "Farasan",
        "أحد المسارحة": "Ahad al-Masarihah", "الريث": "Ar-Rayth", "العيدابي": "Al-Idabi", "الحرث": "Al-Harth",
        "فيفاء": "Fayfa", "الطوال": "At-Tuwal",
    },
    "najran": {
        "نجران": "Najran", "شرورة": "Sharurah", "حبونا": "Hubuna", "بدر الجنوب": "Badr al-Janub",
        "يدمة": "Yadamah", "ثار": "Thar", "خباش": "Khubash",
    },
    "baha": {
        "الباحة": "Al-Baha", "بلجرشي": "Baljurashi", "المخواة": "Al-Mikhwah", "العقيق": "Al-Aqiq",
        "المندق": "Al-Mandaq", "قلوة": "Qilwah", "القرى": "Al-Qura", "غامد الزناد": "Ghamid az-Zinad",
    },
    "jouf": {
        "سكاكا": "Sakaka", "دومة الجندل": "Dumat al-Jandal", "القريات": "Al-Qurayyat", "طبرجل": "Tabarjal",
        "صوير": "Suwayr",
    },
}
CITY_NAMES_EN: dict[str, str] = {arabic: english for cities in CITIES_EN.values() for arabic, english in cities.items()}
_CITY_KEYS: dict[str, str] = {normalize_arabic(arabic): english for arabic, english in CITY_NAMES_EN.items()}


def city_english(city: str) -> str | None:
    """The English name of a city typed in Arabic, whatever its spelling of hamza, ta marbuta or alef maqsura."""
    return _CITY_KEYS.get(normalize_arabic(city or ""))


def city_name(city: str, language: str) -> tuple[str, bool]:
    """The city in the reader's language, and whether it is still the Arabic name (to mark it lang="ar")."""
    city = (city or "").strip()
    if language == "ar" or not city:
        return city, False
    english = city_english(city)
    return (english, False) if english else (city, bool(_ARABIC.search(city)))
