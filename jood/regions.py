"""The 13 administrative regions of the Kingdom, as data (code -> Arabic and English names)."""

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

# English names of the cities cases are filed in (the charity types the city in Arabic). A city missing here is shown
# in Arabic on English pages, marked lang="ar".
CITY_NAMES_EN: dict[str, str] = {
    "الرياض": "Riyadh", "الخرج": "Al-Kharj", "الدوادمي": "Ad-Dawadmi", "بريدة": "Buraydah", "عنيزة": "Unaizah",
    "حائل": "Hail", "جدة": "Jeddah", "مكة المكرمة": "Makkah", "مكة": "Makkah", "الطائف": "Taif",
    "المدينة المنورة": "Madinah", "المدينة": "Madinah", "ينبع": "Yanbu", "الباحة": "Al-Baha", "بلجرشي": "Baljurashi",
    "تبوك": "Tabuk", "أملج": "Umluj", "الدمام": "Dammam", "الخبر": "Khobar", "الظهران": "Dhahran",
    "الأحساء": "Al-Ahsa", "القطيف": "Qatif", "الجبيل": "Jubail", "حفر الباطن": "Hafar Al-Batin", "عرعر": "Arar",
    "رفحاء": "Rafha", "سكاكا": "Sakaka", "دومة الجندل": "Dumat Al-Jandal", "أبها": "Abha",
    "خميس مشيط": "Khamis Mushait", "جازان": "Jazan", "صبيا": "Sabya", "نجران": "Najran", "شرورة": "Sharurah",
    "القريات": "Al-Qurayyat", "بيشة": "Bisha", "الرس": "Ar-Rass", "المجمعة": "Al-Majma'ah",
}


def city_name(city: str, language: str) -> tuple[str, bool]:
    """The city in the reader's language, and whether it is still the Arabic name (to mark it lang="ar")."""
    city = (city or "").strip()
    if language == "ar":
        return city, False
    english = CITY_NAMES_EN.get(city)
    return (english, False) if english else (city, True)
