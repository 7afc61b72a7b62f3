"""Arabic for the disbursements and transparency msgids (merged into translations/ar by the coordinator)."""

AR = {
    "Amount to pay (SAR)": "المبلغ المطلوب صرفه (ريال)",
    "Landlord or seller (kept private)": "المؤجر أو البائع (لا يُنشر)",
    "Their phone (kept private)": "رقم جواله (لا يُنشر)",
    "Lease or purchase contract number": "رقم عقد الإيجار أو الشراء",
    "Lease starts": "بداية الإيجار",
    "Lease ends": "نهاية الإيجار",
    "Public outcome, in a few words (no names or numbers)": "النتيجة المعلنة في كلمات قليلة (بلا أسماء أو أرقام)",
    "Note for the finance officer": "ملاحظة للمسؤول المالي",
    "Evidence: contract, invoice (PDF, JPEG or PNG)": "المستندات: العقد أو الفاتورة (PDF أو JPEG أو PNG)",
    "Public outcome": "النتيجة المعلنة",
    "Reasons, when returning it": "الأسباب عند الإعادة",
    "Approve and pay": "اعتماد الصرف",
    "Return to the charity": "إعادة إلى الجمعية",
    "Follow-up": "المتابعة",
    "Six months": "بعد ستة أشهر",
    "Twelve months": "بعد اثني عشر شهرًا",
    "Is the family still housed there?": "هل ما زالت الأسرة تسكن هناك؟",
    "Yes": "نعم",
    "No": "لا",
    "Public note (optional, no names or numbers)": "ملاحظة معلنة (اختيارية، بلا أسماء أو أرقام)",
    "The case you gave to (%(code)s) is complete": "اكتملت الحالة التي تبرعت لها (%(code)s)",
    "Thank you: the money for case %(code)s has been paid out and the family is helped.":
        "شكرًا لك: صُرف مبلغ الحالة %(code)s وتحقق العون للأسرة.",
    "Outcome: %(outcome)s": "النتيجة: %(outcome)s",
    "See it on your receipt: %(url)s": "تجدها في صفحة إيصالك: %(url)s",
    "Only the case's charity can do this.": "لا يقوم بهذا إلا جمعية الحالة.",
    "Only a funded case can be paid out.": "لا يُصرف إلا لحالة اكتمل تمويلها.",
    "This case already has a disbursement request.": "لهذه الحالة طلب صرف قائم.",
    "Enter an amount more than zero.": "أدخل مبلغًا أكبر من صفر.",
    "The case holds only %(held)s.": "رصيد الحالة %(held)s فقط.",
    "Enter who is paid.": "أدخل اسم المستفيد من الصرف.",
    "Enter the lease period.": "أدخل مدة الإيجار.",
    "The lease must end after it starts.": "يجب أن تكون نهاية الإيجار بعد بدايته.",
    "Enter the purchase contract number.": "أدخل رقم عقد الشراء.",
    "Write the public outcome.": "اكتب النتيجة المعلنة.",
    "The public outcome must not contain names, numbers or e-mail addresses.":
        "يجب ألا تحتوي النتيجة المعلنة على أسماء أو أرقام أو عناوين بريد.",
    "Attach at least one evidence document.": "أرفق مستندًا واحدًا على الأقل.",
    "One of the files is empty.": "أحد الملفات فارغ.",
    "One of the files is too large.": "أحد الملفات أكبر من المسموح.",
    "Only PDF, JPEG and PNG files are accepted.": "تُقبل ملفات PDF وJPEG وPNG فقط.",
    "Only a platform finance officer can decide.": "لا يعتمد إلا مسؤول مالي في المنصة.",
    "You sent this request: another finance officer must decide it.":
        "أنت من أرسل هذا الطلب: يجب أن يعتمده مسؤول مالي آخر.",
    "This request is not waiting for a decision.": "هذا الطلب لا ينتظر قرارًا.",
    "Only a returned request can be sent again.": "لا يُعاد إرسال إلا الطلب المعاد.",
    "Give the reasons for returning it.": "اذكر أسباب الإعادة.",
    "Choose six or twelve months.": "اختر ستة أشهر أو اثني عشر شهرًا.",
    "This case has not been paid out.": "لم يُصرف لهذه الحالة بعد.",
    "The %(months)s-month follow-up is not due yet.": "لم يحن موعد متابعة %(months)s شهرًا بعد.",
    "The %(months)s-month follow-up is already recorded.": "سُجلت متابعة %(months)s شهرًا من قبل.",
    "The note must not contain names, numbers or e-mail addresses.":
        "يجب ألا تحتوي الملاحظة على أسماء أو أرقام أو عناوين بريد.",
    "Only a closed rent case can be renewed.": "لا تُجدد إلا حالة إيجار مغلقة.",
    "This case has already been renewed.": "جُددت هذه الحالة من قبل.",
    "Enter the amount as a number, for example 18000.": "أدخل المبلغ رقمًا، مثل 18000.",
    "The disbursement request for %(code)s was sent to the platform's finance officers.":
        "أُرسل طلب الصرف للحالة %(code)s إلى المسؤولين الماليين في المنصة.",
    "Follow-up recorded for %(code)s.": "سُجلت المتابعة للحالة %(code)s.",
    "Case %(new)s was created as the renewal of %(old)s. Update it and submit it for review.":
        "أُنشئت الحالة %(new)s تجديدًا للحالة %(old)s. حدّث بياناتها وأرسلها للمراجعة.",
    "Paid out: case %(code)s is closed.": "تم الصرف وأُغلقت الحالة %(code)s.",
    "Returned to the charity.": "أُعيد الطلب إلى الجمعية.",
    "This month": "هذا الشهر",
    "Last 30 days": "آخر 30 يومًا",
    "Ramadan 1447": "رمضان 1447",
    "This Hijri year": "هذه السنة الهجرية",
    "Last 12 months": "آخر 12 شهرًا",
    "Daily": "يومي",
    "Weekly": "أسبوعي",
    "Monthly": "شهري",
    "Hijri months": "أشهر هجرية",
    "Enter the dates as YYYY-MM-DD.": "أدخل التواريخ بصيغة YYYY-MM-DD.",
    "The end of the period must not be before its start.": "يجب ألا تسبق نهاية الفترة بدايتها.",
    "Choose a period of at most three years.": "اختر فترة لا تزيد على ثلاث سنوات.",
    "Pools (no region)": "الصناديق (بلا منطقة)",
    "Pools (no charity)": "الصناديق (بلا جمعية)",
    "Outcome": "النتيجة",
    "Paid out on %(date)s.": "صُرف في %(date)s.",
    "After %(months)s months: the family is still housed there.": "بعد %(months)s شهرًا: ما زالت الأسرة تسكن فيه.",
    "After %(months)s months: the family no longer lives there.": "بعد %(months)s شهرًا: لم تعد الأسرة تسكن فيه.",
    "Follow-ups are recorded six and twelve months after the payment.":
        "تُسجل المتابعة بعد ستة أشهر واثني عشر شهرًا من الصرف.",
    "Renewed for the next year as case %(code)s.": "جُددت للعام التالي بالحالة %(code)s.",
    "This case renews case %(code)s.": "هذه الحالة تجديد للحالة %(code)s.",
    "What this gift did": "ماذا حقق هذا التبرع",
    "Paid out": "تم الصرف",
    "Disbursement for %(code)s": "الصرف للحالة %(code)s",
    "Charity": "الجمعية",
    "The case holds": "رصيد الحالة",
    "Paid to": "يُصرف إلى",
    "Contract": "العقد",
    "Lease period": "مدة الإيجار",
    "Requested by": "طلبه",
    "Note": "ملاحظة",
    "Evidence": "المستندات",
    "No evidence.": "لا مستندات.",
    "Decision": "القرار",
    "Paid out: %(zakat)s zakat, %(other)s other money, %(surplus)s to the pool.":
        "صُرف: %(zakat)s من الزكاة، و%(other)s من غيرها، و%(surplus)s إلى الصندوق.",
    "Returned": "معاد",
    "Confirm": "تأكيد",
    "Follow-up for %(code)s": "متابعة الحالة %(code)s",
    "Record the follow-up": "تسجيل المتابعة",
    "What my gifts did": "ماذا حققت تبرعاتي",
    "Total given": "مجموع ما تبرعت به",
    "Families helped": "الأسر المستفيدة",
    "Outcomes": "النتائج",
    "None of the cases you gave to has been paid out yet.": "لم يُصرف بعد لأي حالة تبرعت لها.",
    "Annual statements": "الكشوف السنوية",
    "Statement for %(year)s (PDF)": "كشف عام %(year)s (PDF)",
    "No paid gifts yet.": "لا تبرعات مدفوعة بعد.",
    "All my gifts and receipts": "كل تبرعاتي وإيصالاتها",
    "Disbursement requests": "طلبات الصرف",
    "Requested": "تاريخ الطلب",
    "Case": "الحالة",
    "Open": "فتح",
    "Nothing is waiting.": "لا شيء بانتظار القرار.",
    "Decided": "ما تقرر",
    "None yet.": "لا شيء بعد.",
    "The case holds %(held)s. A platform finance officer other than you will check the evidence and pay it out.":
        "رصيد الحالة %(held)s. سيتحقق مسؤول مالي في المنصة غيرك من المستندات ثم يصرف المبلغ.",
    "Returned with these reasons:": "أُعيد للأسباب الآتية:",
    "For example: سُدّد إيجار عام 1448هـ, or: استلمت الأسرة مفاتيح المسكن":
        "مثل: سُدّد إيجار عام 1448هـ، أو: استلمت الأسرة مفاتيح المسكن",
    "At most %(size)s MB each.": "بحد أقصى %(size)s ميجابايت لكل ملف.",
    "Send the request": "إرسال الطلب",
    "Disbursements": "الصرف",
    "Funded cases waiting to be paid out": "حالات مكتملة التمويل بانتظار الصرف",
    "Raised": "المجموع",
    "Request": "الطلب",
    "Request the disbursement": "طلب الصرف",
    "No funded case is waiting.": "لا توجد حالة مكتملة التمويل بانتظار الصرف.",
    "Requests": "الطلبات",
    "Reasons": "الأسباب",
    "Waiting for finance": "بانتظار المسؤول المالي",
    "Returned: correct and send again": "معاد: صحّحه وأرسله مجددًا",
    "No requests yet.": "لا طلبات بعد.",
    "Closed cases: follow-ups and renewals": "الحالات المغلقة: المتابعة والتجديد",
    "Follow-ups": "المتابعات",
    "Renewal": "التجديد",
    "%(months)s months: recorded": "%(months)s شهرًا: سُجلت",
    "%(months)s months: record it": "%(months)s شهرًا: سجّلها",
    "%(months)s months: not due yet": "%(months)s شهرًا: لم يحن موعدها",
    "Renew for next year": "التجديد للعام التالي",
    "Renewed": "جُددت",
    "No closed cases yet.": "لا حالات مغلقة بعد.",
    "No data for this period.": "لا بيانات لهذه الفترة.",
    "What donors gave and what it did, from the platform's own figures: %(start)s to %(end)s.":
        "ما قدمه المتبرعون وما حققه، من أرقام المنصة نفسها: من %(start)s إلى %(end)s.",
    "Period": "الفترة",
    "From": "من",
    "To": "إلى",
    "Show": "عرض",
    "Figures": "الأرقام",
    "Visitors": "الزوار",
    "New donors": "متبرعون جدد",
    "Gifts": "التبرعات",
    "Given": "المبلغ المتبرع به",
    "Beneficiaries": "المستفيدون",
    "Paid out to housing": "المصروف للسكن",
    "Operating share deducted": "حصة التشغيل المقتطعة",
    "Follow-ups: still housed": "المتابعة: ما زالت الأسرة في مسكنها",
    "%(housed)s of %(total)s": "%(housed)s من %(total)s",
    "Visitors are counted without cookies or stored IP addresses.":
        "يُحسب الزوار دون ملفات تعريف ارتباط ودون حفظ عناوين IP.",
    "Visitor figures are not available yet.": "أرقام الزوار غير متاحة بعد.",
    "Zakat and sadaqah": "الزكاة والصدقة",
    "Sadaqah": "الصدقة",
    "Zakat is kept in separate accounts and no operating share is ever taken from it.":
        "تُحفظ الزكاة في حسابات مستقلة ولا تُقتطع منها أي حصة تشغيل.",
    "Over time": "عبر الزمن",
    "Given, by period": "التبرعات حسب الفترة",
    "By track": "حسب المسار",
    "Given, by track": "التبرعات حسب المسار",
    "Track": "المسار",
    "Families helped, by track": "الأسر المستفيدة حسب المسار",
    "By region": "حسب المنطقة",
    "Given, by region (darker is more)": "التبرعات حسب المنطقة (الأغمق أكثر)",
    "Given, by region": "التبرعات حسب المنطقة",
    "Region": "المنطقة",
    "By charity": "حسب الجمعية",
    "Given, by charity": "التبرعات حسب الجمعية",
    "Download these figures:": "نزّل هذه الأرقام:",
    "Every movement of money on Jood, newest first: amounts, accounts (case codes and pools, never a person), time "
    "and hash. Each hash covers the transaction and the hash before it.":
        "كل حركة مالية في جود، الأحدث أولًا: المبالغ والحسابات (رموز الحالات والصناديق، لا أشخاص)، والوقت والبصمة. "
        "تغطي كل بصمة العملية والبصمة التي قبلها.",
    "Transactions: %(n)s. Latest hash:": "عدد العمليات: %(n)s. آخر بصمة:",
    "Kind": "النوع",
    "Time": "الوقت",
    "Postings": "القيود",
    "Hash": "البصمة",
    "Payment": "دفعة",
    "Allocation": "توزيع",
    "Disbursement": "صرف",
    "Surplus to pool": "فائض إلى الصندوق",
    "Cancellation": "إلغاء",
    "Previous hash:": "البصمة السابقة:",
    "The ledger is empty.": "السجل فارغ.",
    "Pages": "الصفحات",
    "Newer": "الأحدث",
    "Page %(page)s of %(pages)s": "الصفحة %(page)s من %(pages)s",
    "Older": "الأقدم",
    "No case is funded past its need.": "لا تُموَّل حالة بأكثر من احتياجها.",
    "The database itself refuses more money for a case than its target. A gift that arrives after a case is complete "
    "goes to the pool of the same track (rent support or ownership), and the receipt says so.":
        "قاعدة البيانات نفسها ترفض أي مبلغ لحالة يتجاوز هدفها. والتبرع الذي يصل بعد اكتمال الحالة يذهب إلى صندوق "
        "المسار نفسه (دعم الإيجار أو التمليك)، ويُذكر ذلك في الإيصال.",
    "Pools are given to the neediest cases first.": "تُوزَّع الصناديق على الحالات الأشد حاجة أولًا.",
    "Money in a track's pool is allocated to published cases by priority points, then by the regulation's "
    "tie-breaks, filling whole cases first.":
        "يُوزَّع مال صندوق المسار على الحالات المنشورة بحسب نقاط الأولوية ثم معايير المفاضلة في اللائحة، مع إكمال "
        "الحالات كاملة أولًا.",
    "A withdrawn case's money goes to its track's pool.": "مال الحالة الملغاة يذهب إلى صندوق مسارها.",
    "If a case is cancelled before it is paid out, what it holds moves to the pool of its track, and its donors are "
    "told.": "إذا أُلغيت حالة قبل الصرف انتقل رصيدها إلى صندوق مسارها، ويُبلَّغ متبرعوها.",
    "Zakat is kept apart.": "الزكاة منفصلة.",
    "Zakat is held in separate accounts, goes only to cases eligible for zakat, and no operating share is ever taken "
    "from it.": "تُحفظ الزكاة في حسابات مستقلة، ولا تذهب إلا إلى حالات مستحقة للزكاة، ولا تُقتطع منها أي حصة تشغيل.",
    "The operating share is published.": "حصة التشغيل معلنة.",
    "The share deducted from other gifts is %(share)s%% today; what was actually deducted is shown on every receipt "
    "and on the impact page.":
        "الحصة المقتطعة من التبرعات الأخرى اليوم %(share)s%%، وما اقتُطع فعلًا يظهر في كل إيصال وفي صفحة الأثر.",
    "Money is paid out against evidence, by two people.": "لا يُصرف المال إلا بمستندات وبشخصين.",
    "The charity asks for the payment with the lease or purchase contract; a platform finance officer who did not "
    "make the request checks it and approves it. What the case holds beyond the payment goes to its track's pool.":
        "تطلب الجمعية الصرف مع عقد الإيجار أو الشراء، ويتحقق منه ويعتمده مسؤول مالي في المنصة غير من قدّم الطلب. "
        "وما يزيد من رصيد الحالة على المبلغ المصروف يذهب إلى صندوق مسارها.",
    "Every movement is public.": "كل حركة معلنة.",
    "Each payment, allocation, disbursement and refund is a transaction in the public ledger, chained by hashes.":
        "كل دفعة وتوزيع وصرف واسترداد عملية في السجل العام، مربوطة بالبصمات.",
    "You do not have to trust us. Every ledger transaction carries a SHA-256 hash of its public fields and of the "
    "hash before it, so changing, removing or reordering any past transaction breaks every hash after it. Anyone can "
    "recompute the whole chain from the public API.":
        "لا تحتاج إلى أن تثق بنا. تحمل كل عملية في السجل بصمة SHA-256 لحقولها العامة وللبصمة التي قبلها، فأي تعديل "
        "أو حذف أو إعادة ترتيب لعملية سابقة يكسر كل البصمات بعدها. ويستطيع أي أحد إعادة حساب السلسلة كاملة من "
        "الواجهة البرمجية العامة.",
    "What is hashed": "ما الذي تُحسب بصمته",
    "The hash is the lowercase hexadecimal SHA-256 of these bytes, in UTF-8, lines separated by a line feed and no "
    "line feed at the end:":
        "البصمة هي SHA-256 بالنظام الست عشري بأحرف صغيرة لهذه البايتات، بترميز UTF-8، تفصل بين الأسطر علامة سطر "
        "جديد ولا سطر جديد في آخرها:",
    "the sequence number (1, 2, 3, …)": "الرقم التسلسلي (1، 2، 3، …)",
    "the kind (payment, allocation, refund, disbursement, surplus, cancellation, fee)":
        "النوع (payment أو allocation أو refund أو disbursement أو surplus أو cancellation أو fee)",
    "the time in UTC, exactly like 2025-03-01T09:30:00Z": "الوقت بالتوقيت العالمي، بالصيغة 2025-03-01T09:30:00Z تمامًا",
    "one line per posting: the account, a tab, the amount in integer halalas (negative for money leaving the "
    "account), sorted by account then amount":
        "سطر لكل قيد: الحساب ثم علامة جدولة ثم المبلغ بالهللات عددًا صحيحًا (سالبًا للمال الخارج من الحساب)، مرتبة "
        "بالحساب ثم بالمبلغ",
    "the previous transaction's hash (sixty-four zeros for the first)":
        "بصمة العملية السابقة (أربعة وستون صفرًا للأولى)",
    "Example: the first transaction of a chain, a 100 SAR payment of which 75 SAR went to a case and 25 SAR to the "
    "rent pool:": "مثال: أول عملية في سلسلة، دفعة 100 ريال ذهب منها 75 ريالًا إلى حالة و25 ريالًا إلى صندوق الإيجار:",
    "Its hash:": "بصمتها:",
    "Check it with our script": "تحقق منها ببرنامجنا",
    "tools/verify_ledger.py in Jood's source uses only the Python standard library and does not trust the server: it "
    "keeps its own copy of the rules above. Point it at any Jood site:":
        "البرنامج tools/verify_ledger.py في شيفرة جود المصدرية لا يستعمل إلا مكتبة بايثون القياسية ولا يثق بالخادم: "
        "فهو يحمل نسخته الخاصة من القواعد أعلاه. وجّهه إلى أي موقع لجود:",
    "It reads every page of the API below and prints OK with the number of transactions and the latest hash, or "
    "lists each problem it finds. Write the latest hash down: if it ever stops matching the start of a later chain, "
    "the history was changed.":
        "يقرأ كل صفحات الواجهة أدناه ويطبع OK مع عدد العمليات وآخر بصمة، أو يعدد كل مشكلة يجدها. دوّن آخر بصمة: فإن "
        "لم تعد تطابق بداية سلسلة لاحقة فقد غُيّر التاريخ.",
}
