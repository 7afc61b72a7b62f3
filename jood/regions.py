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
