"""The catalog of user-facing messages, English and Arabic, keyed by a stable name.

`render(key, language, **params)` picks the language ("ar" or "en") and fills `{params}`.
"""

from __future__ import annotations

from typing import Final

MESSAGES: Final[dict[str, tuple[str, str]]] = {
    # key: (English, Arabic)
    "unauthenticated": (
        "Sign in first: a valid bearer token is required.",
        "يجب تسجيل الدخول أولاً: مطلوب رمز دخول صالح.",
    ),
    "token_expired": (
        "Your session token has expired; sign in again.",
        "انتهت صلاحية رمز الدخول؛ سجّل الدخول مرة أخرى.",
    ),
    "token_invalid": ("The bearer token is not valid.", "رمز الدخول غير صالح."),
    "forbidden": ("You are not allowed to do this.", "غير مسموح لك بهذا الإجراء."),
    "not_admin": (
        "Only the alliance operations room (admin) may do this.",
        "هذا الإجراء متاح لغرفة العمليات (المسؤول) فقط.",
    ),
    "not_coordinator": (
        "Only an association coordinator may do this.",
        "هذا الإجراء متاح لمنسق الجمعية فقط.",
    ),
    "not_volunteer": (
        "Only a signed-in volunteer may do this.",
        "هذا الإجراء متاح للمتطوع المسجل فقط.",
    ),
    "not_trainer": (
        "Only the training team or an admin may do this.",
        "هذا الإجراء متاح لفريق التدريب أو المسؤول فقط.",
    ),
    "not_found": ("No {kind} with this id.", "لا يوجد {kind} بهذا المعرّف."),
    "bad_input": ("Invalid value for {field}: {reason}", "قيمة غير صالحة للحقل {field}: {reason}"),
    "conflict": ("{reason}", "{reason}"),
    "unavailable": (
        "A backing service ({service}) is unavailable; try again shortly.",
        "خدمة مساندة ({service}) غير متاحة حالياً؛ حاول بعد قليل.",
    ),
    "internal": (
        "Something went wrong on our side; the error was logged.",
        "حدث خطأ من جانبنا وتم تسجيله.",
    ),
    # request-level errors (api/request_errors.py): Arabic sentences for graphql-core's own
    "query_syntax": (
        "Syntax error in the query at line {line}, column {column}.",
        "خطأ في صياغة الاستعلام عند السطر {line}، العمود {column}.",
    ),
    "unknown_query_field": (
        "There is no field {name} on type {type}.",
        "لا يوجد حقل باسم {name} في النوع {type}.",
    ),
    "unknown_argument": (
        "There is no argument {name} on field {field}.",
        "لا توجد وسيطة باسم {name} للحقل {field}.",
    ),
    "invalid_query": ("The query is not valid.", "الاستعلام غير صالح."),
    # HTTP requests refused before GraphQL runs (api/transport_errors.py)
    "transport_json": ("The request body is not valid JSON.", "نص الطلب ليس JSON صالحاً."),
    "transport_no_query": ("The request has no GraphQL query.", "لا يحتوي الطلب على استعلام GraphQL."),
    "transport_content_type": (
        "Unsupported content type: send application/json.",
        "نوع المحتوى غير مدعوم: أرسل application/json.",
    ),
    "transport_batch": (
        "Send one operation per request (batches are not accepted).",
        "أرسل عملية واحدة في كل طلب (الطلبات المجمّعة غير مقبولة).",
    ),
    "transport_get_mutation": (
        "Mutations are not accepted over GET; use POST.",
        "لا تُقبل عمليات التعديل عبر GET؛ استخدم POST.",
    ),
    "transport_method": ("Use GET or POST.", "استخدم GET أو POST."),
    "transport_multipart": ("The multipart body is not valid.", "النص متعدد الأجزاء غير صالح."),
    "transport_invalid": ("The request is not valid.", "الطلب غير صالح."),
    # reasons (used inside bad_input / conflict)
    "value_of_type": ("must be a value of type {type}", "يجب أن تكون القيمة من النوع {type}"),
    "value_invalid": ("is not a valid value here", "ليست قيمة صالحة هنا"),
    "first_range": ("first must be between 0 and {max}", "يجب أن تكون قيمة first بين 0 و{max}"),
    "cursor_invalid": ("not a cursor from this list", "مؤشر غير صالح لهذه القائمة"),
    "bad_transition": (
        "an assignment in status {status} cannot become {target}",
        "لا يمكن نقل تكليف حالته {status} إلى {target}",
    ),
    "double_booked": (
        "the volunteer already has an overlapping assignment",
        "لدى المتطوع تكليف آخر متداخل في الوقت",
    ),
    "checkin_not_open": (
        "check-in opens {minutes} minutes before the shift starts",
        "يبدأ تسجيل الحضور قبل بدء الوردية بـ{minutes} دقيقة",
    ),
    "shift_not_started": (
        "the shift has not started yet: completion and no-show are recorded once it has",
        "لم تبدأ الوردية بعد: يُسجَّل الإتمام أو الغياب بعد بدئها",
    ),
    "exchange_pending": (
        "the lending association has not approved this loan yet",
        "لم توافق الجمعية المُعيرة على هذه الإعارة بعد",
    ),
    "exchange_closed": (
        "the assignment of this exchange request is no longer waiting for it (it is {status})",
        "لم يعد التكليف المرتبط بطلب التبادل هذا بانتظاره (حالته {status})",
    ),
    "exchange_decided": (
        "this exchange request was already decided",
        "تم البت في طلب التبادل هذا من قبل",
    ),
    "required": ("is required", "مطلوب"),
    "must_be_positive": ("must be at least 1", "يجب أن يكون 1 على الأقل"),
    "level_range": ("must be between 1 and 5", "يجب أن يكون بين 1 و5"),
    "weekday_range": (
        "must be between 1 (Monday) and 7 (Sunday)",
        "يجب أن يكون بين 1 (الاثنين) و7 (الأحد)",
    ),
    "time_format": (
        "must be a time HH:MM between 00:00 and 24:00",
        "يجب أن يكون وقتاً بصيغة HH:MM بين 00:00 و24:00",
    ),
    "end_after_start": ("must be after the start", "يجب أن يكون بعد وقت البداية"),
    "needs_repeat": ("is only used with repeatDays", "يُستخدم مع repeatDays فقط"),
    "repeat_range": ("must be between 1 and {max}", "يجب أن يكون بين 1 و{max}"),
    "repeat_under_a_day": (
        "a repeated shift must last less than a day",
        "يجب أن تقل مدة الوردية المتكررة عن يوم",
    ),
    "repeat_empty": (
        "no day of the repetition falls on these weekdays",
        "لا يقع أي يوم من أيام التكرار في أيام الأسبوع هذه",
    ),
    "unknown_skill": ("no such skill: {code}", "لا توجد مهارة بالرمز: {code}"),
    "unknown_governorate": ("no such governorate: {code}", "لا توجد محافظة بالرمز: {code}"),
    "unknown_association": ("no such association: {id}", "لا توجد جمعية بالمعرّف: {id}"),
    "share_range": ("must be between 0 and 1", "يجب أن يكون بين 0 و1"),
    "hours_range": ("must be more than 0 and at most 24", "يجب أن يكون أكبر من 0 ولا يتجاوز 24"),
    "latitude_range": ("must be between -90 and 90", "يجب أن يكون بين -90 و90"),
    "longitude_range": ("must be between -180 and 180", "يجب أن يكون بين -180 و180"),
    "phone_format": (
        "must be an Egyptian mobile number like 01012345678",
        "يجب أن يكون رقم هاتف محمول مصري مثل 01012345678",
    ),
    "too_long": ("must be at most {max} characters", "يجب ألا يتجاوز {max} حرفاً"),
    "national_id": ("{detail}", "{detail}"),
    "windows_overlap": ("windows on the same day overlap", "فترات اليوم نفسه متداخلة"),
    # training (graph/training_errors.py keys)
    "program_ended": ("the training program has already ended", "انتهى البرنامج التدريبي بالفعل"),
    "program_not_started": (
        "the training program has not started yet",
        "لم يبدأ البرنامج التدريبي بعد",
    ),
    "volunteer_inactive": ("the volunteer is not active", "المتطوع غير نشط"),
    "already_enrolled": (
        "the volunteer already has a {status} enrollment in this program",
        "لدى المتطوع تسجيل بحالة {status} في هذا البرنامج",
    ),
    "enrollment_not_enrolled": (
        "only an ENROLLED enrollment allows this (this one is {status})",
        "هذا الإجراء متاح للتسجيل المقبول فقط (حالة هذا التسجيل {status})",
    ),
    "completed_cannot_drop": (
        "a completed enrollment cannot be dropped",
        "لا يمكن إلغاء تسجيل مكتمل",
    ),
    "attendance_exceeds": (
        "attendance would reach {total} h, more than the program's {span} h",
        "سيصل الحضور إلى {total} ساعة، أكثر من مدة البرنامج {span} ساعة",
    ),
    "hours_positive": ("must be a number above 0", "يجب أن يكون رقماً أكبر من 0"),
}

KINDS: Final[dict[str, tuple[str, str]]] = {
    "volunteer": ("volunteer", "متطوع"),
    "association": ("association", "جمعية"),
    "event": ("event", "فعالية"),
    "shift": ("shift", "وردية"),
    "assignment": ("assignment", "تكليف"),
    "exchange request": ("exchange request", "طلب تبادل"),
    "training program": ("training program", "برنامج تدريبي"),
    "enrollment": ("enrollment", "تسجيل"),
}


def render(key: str, language: str, **params: object) -> str:
    english, arabic = MESSAGES.get(key, (key, key))
    template = arabic if language == "ar" else english
    if "kind" in params and isinstance(params["kind"], str) and params["kind"] in KINDS:
        en, ar = KINDS[params["kind"]]
        params = {**params, "kind": ar if language == "ar" else en}
    try:
        return template.format(**params)
    except (KeyError, IndexError):
        return template
