"""Regenerates the public-facing translations of events (issue 7 item 6) into <lang>/LC_MESSAGES/django.po.

What the public reads (the event pages, the RSVP form and its pages, the calendars' names, the e-mails, the consent
wording) is translated here, by hand; the organisers' workspace stays in English, like the registry's. Run from this
folder after ``makemessages``: it keeps the msgids makemessages found and fills in the texts below (a msgid found but
missing here stops the script, so nothing ships untranslated).

    ../../../.venv/bin/unforgotten makemessages -l ar -l fa -l ru -l es -l fr -l zh_Hans --no-location
    ../../../.venv/bin/python generate.py
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

HERE = Path(__file__).resolve().parent
LANGS = ("ar", "fa", "ru", "es", "fr", "zh_Hans")
PLURALS = {
    "ar": "nplurals=6; plural=n==0 ? 0 : n==1 ? 1 : n==2 ? 2 : n%100>=3 && n%100<=10 ? 3 : n%100>=11 && n%100<=99 ? 4 : 5;",
    "fa": "nplurals=2; plural=(n > 1);",
    "ru": "nplurals=3; plural=(n%10==1 && n%100!=11 ? 0 : n%10>=2 && n%10<=4 && (n%100<10 || n%100>=20) ? 1 : 2);",
    "es": "nplurals=2; plural=(n != 1);",
    "fr": "nplurals=2; plural=(n > 1);",
    "zh_Hans": "nplurals=1; plural=0;",
}

CONFIRM_BODY = ('Thank you for your RSVP to "%(title)s".\n\nOpen this link and press the button on the page to confirm '
                "it:\n\n%(link)s\n\nIf it was not you, ignore this message: nothing happens, and the request is deleted.")
ALREADY_BODY = ('Someone (probably you) sent an RSVP to "%(title)s" again with this address. Your RSVP is already '
                "confirmed. To see the details or to cancel:\n\n%(link)s")
CONSENT_ONE = ("Use my e-mail address only for this event: to confirm my RSVP and send me the practical details. "
               "It is erased %(months)d month after the event.")

T: dict[str, tuple[str, str, str, str, str, str]] = {
    # msgid: (ar, fa, ru, es, fr, zh_Hans)
    "Tick the box to agree to the use of your address.": (
        "ضع علامة في المربع للموافقة على استخدام عنوانك.", "برای موافقت با استفاده از نشانی‌تان، کادر را علامت بزنید.",
        "Отметьте поле, чтобы согласиться на использование вашего адреса.",
        "Marca la casilla para aceptar el uso de tu dirección.",
        "Cochez la case pour accepter l'utilisation de votre adresse.", "请勾选此框，同意使用您的地址。"),
    "This event no longer takes RSVPs.": (
        "لم تعد هذه الفعالية تقبل التسجيل.", "این رویداد دیگر ثبت‌نام نمی‌پذیرد.",
        "На это мероприятие больше не записывают.", "Este evento ya no acepta inscripciones.",
        "Cet événement n'accepte plus d'inscriptions.", "此活动已不再接受报名。"),
    "Your e-mail address": ("عنوان بريدك الإلكتروني", "نشانی ایمیل شما", "Ваш адрес электронной почты",
                            "Tu dirección de correo electrónico", "Votre adresse e-mail", "您的电子邮箱地址"),
    "Leave this field empty": ("اترك هذا الحقل فارغًا", "این فیلد را خالی بگذارید", "Оставьте это поле пустым",
                               "Deja este campo vacío", "Laissez ce champ vide", "请勿填写此栏"),
    "Vigil": ("وقفة تضامنية", "تجمع شمع‌افروزی", "Пикет", "Vigilia", "Veillée", "守夜活动"),
    "Action day": ("يوم تحرّك", "روز اقدام", "День действий", "Día de acción", "Journée d'action", "行动日"),
    "Trial monitoring": ("مراقبة المحاكمة", "نظارت بر دادگاه", "Наблюдение за судом", "Observación de juicio",
                         "Observation de procès", "庭审观察"),
    "Webinar": ("ندوة عبر الإنترنت", "وبینار", "Вебинар", "Seminario web", "Webinaire", "网络研讨会"),
    "Event": ("فعالية", "رویداد", "Мероприятие", "Evento", "Événement", "活动"),
    "Trial monitoring: %(name)s": ("مراقبة محاكمة: %(name)s", "نظارت بر دادگاه: %(name)s",
                                   "Наблюдение за судом: %(name)s", "Observación del juicio: %(name)s",
                                   "Observation du procès : %(name)s", "庭审观察：%(name)s"),
    "A hearing at %(court)s, open to the public. Monitors are welcome: RSVP to be told the practical details.": (
        "جلسة في %(court)s مفتوحة للجمهور. المراقبون مرحَّب بهم: سجّلوا لتصلكم التفاصيل العملية.",
        "جلسه‌ای در %(court)s، برای عموم آزاد. ناظران خوش آمدند: ثبت‌نام کنید تا جزئیات عملی را دریافت کنید.",
        "Открытое заседание в суде «%(court)s». Наблюдатели приветствуются: запишитесь, чтобы получить подробности.",
        "Una audiencia en %(court)s, abierta al público. Se agradecen observadores: inscríbete para recibir los "
        "detalles prácticos.",
        "Une audience à %(court)s, ouverte au public. Les observateurs sont bienvenus : inscrivez-vous pour recevoir "
        "les informations pratiques.",
        "%(court)s 的一场公开庭审。欢迎观察员：报名即可获知具体安排。"),
    "Choose a time zone from the list.": ("اختر منطقة زمنية من القائمة.", "یک منطقهٔ زمانی از فهرست انتخاب کنید.",
                                          "Выберите часовой пояс из списка.", "Elige una zona horaria de la lista.",
                                          "Choisissez un fuseau horaire dans la liste.", "请从列表中选择时区。"),
    "The place is sent to people who RSVP on the event's page.": (
        "يُرسَل المكان إلى من يسجّلون في صفحة الفعالية.", "مکان برای کسانی فرستاده می‌شود که در صفحهٔ رویداد ثبت‌نام کنند.",
        "Место сообщается тем, кто записался на странице мероприятия.",
        "El lugar se envía a quienes se inscriben en la página del evento.",
        "Le lieu est envoyé aux personnes inscrites sur la page de l'événement.", "活动地点将发送给在活动页面报名的人。"),
    "Time zone of the event: %(zone)s": ("المنطقة الزمنية للفعالية: %(zone)s", "منطقهٔ زمانی رویداد: %(zone)s",
                                         "Часовой пояс мероприятия: %(zone)s", "Zona horaria del evento: %(zone)s",
                                         "Fuseau horaire de l'événement : %(zone)s", "活动所在时区：%(zone)s"),
    "Unforgotten: events": ("Unforgotten: الفعاليات", "Unforgotten: رویدادها", "Unforgotten: мероприятия",
                            "Unforgotten: eventos", "Unforgotten : événements", "Unforgotten：活动"),
    "Unforgotten: events in %(country)s": (
        "Unforgotten: الفعاليات في %(country)s", "Unforgotten: رویدادها در %(country)s",
        "Unforgotten: мероприятия, %(country)s", "Unforgotten: eventos en %(country)s",
        "Unforgotten : événements, %(country)s", "Unforgotten：%(country)s 的活动"),
    "Unforgotten: events for %(name)s": (
        "Unforgotten: فعاليات من أجل %(name)s", "Unforgotten: رویدادها برای %(name)s",
        "Unforgotten: мероприятия в поддержку: %(name)s", "Unforgotten: eventos por %(name)s",
        "Unforgotten : événements pour %(name)s", "Unforgotten：为 %(name)s 举办的活动"),
    "This link has expired. Please send your RSVP again to get a new one.": (
        "انتهت صلاحية هذا الرابط. أرسل تسجيلك مرة أخرى لتحصل على رابط جديد.",
        "این پیوند منقضی شده است. برای دریافت پیوند تازه دوباره ثبت‌نام کنید.",
        "Срок действия ссылки истёк. Запишитесь снова, чтобы получить новую.",
        "Este enlace ha caducado. Envía tu inscripción de nuevo para recibir otro.",
        "Ce lien a expiré. Inscrivez-vous de nouveau pour en recevoir un autre.", "此链接已过期。请重新报名以获取新链接。"),
    "This link has already been used.": ("سبق استخدام هذا الرابط.", "از این پیوند قبلاً استفاده شده است.",
                                         "Эта ссылка уже использована.", "Este enlace ya se ha usado.",
                                         "Ce lien a déjà été utilisé.", "此链接已被使用。"),
    "This link is not valid. Please check that you copied all of it.": (
        "هذا الرابط غير صالح. تأكّد من أنك نسخته كاملًا.", "این پیوند معتبر نیست. مطمئن شوید همهٔ آن را کپی کرده‌اید.",
        "Ссылка недействительна. Проверьте, что скопировали её целиком.",
        "Este enlace no es válido. Comprueba que lo has copiado entero.",
        "Ce lien n'est pas valide. Vérifiez que vous l'avez copié en entier.", "此链接无效。请检查是否完整复制。"),
    "Confirm your RSVP": ("أكّد تسجيلك", "ثبت‌نام خود را تأیید کنید", "Подтвердите запись", "Confirma tu inscripción",
                          "Confirmez votre inscription", "确认您的报名"),
    "Confirm my RSVP": ("أؤكّد تسجيلي", "ثبت‌نامم را تأیید می‌کنم", "Подтвердить запись", "Confirmar mi inscripción",
                        "Confirmer mon inscription", "确认我的报名"),
    "Your RSVP is cancelled": ("أُلغي تسجيلك", "ثبت‌نام شما لغو شد", "Ваша запись отменена",
                               "Tu inscripción está cancelada", "Votre inscription est annulée", "您的报名已取消"),
    "Your RSVP is cancelled and your address erased.": (
        "أُلغي تسجيلك وحُذف عنوانك.", "ثبت‌نام شما لغو و نشانی‌تان پاک شد.", "Ваша запись отменена, адрес удалён.",
        "Tu inscripción está cancelada y tu dirección, borrada.", "Votre inscription est annulée et votre adresse effacée.",
        "您的报名已取消，地址已删除。"),
    "This event is cancelled.": ("أُلغيت هذه الفعالية.", "این رویداد لغو شده است.", "Это мероприятие отменено.",
                                 "Este evento se ha cancelado.", "Cet événement est annulé.", "此活动已取消。"),
    "When": ("الموعد", "زمان", "Когда", "Cuándo", "Quand", "时间"),
    "every year": ("كل عام", "هر سال", "каждый год", "cada año", "chaque année", "每年"),
    "See this time in another time zone": ("اعرض هذا الموعد بمنطقة زمنية أخرى", "این زمان را در منطقهٔ زمانی دیگری ببینید",
                                           "Посмотреть время в другом часовом поясе", "Ver esta hora en otra zona horaria",
                                           "Voir cette heure dans un autre fuseau horaire", "查看其他时区的时间"),
    "Country": ("البلد", "کشور", "Страна", "País", "Pays", "国家"),
    "Place": ("المكان", "مکان", "Место", "Lugar", "Lieu", "地点"),
    "Online": ("عبر الإنترنت", "آنلاین", "Онлайн", "En línea", "En ligne", "线上"),
    "The place and the link are sent by e-mail to people who RSVP.": (
        "يُرسَل المكان والرابط بالبريد الإلكتروني إلى من يسجّلون.", "مکان و پیوند برای ثبت‌نام‌کنندگان ایمیل می‌شود.",
        "Место и ссылка приходят по почте тем, кто записался.",
        "El lugar y el enlace se envían por correo a quienes se inscriben.",
        "Le lieu et le lien sont envoyés par e-mail aux personnes inscrites.", "地点和链接将通过电子邮件发送给报名者。"),
    "For": ("من أجل", "برای", "В поддержку", "Por", "Pour", "为"),
    "as of %(time)s UTC": ("حتى %(time)s بالتوقيت العالمي", "تا %(time)s به وقت جهانی", "на %(time)s UTC",
                           "a las %(time)s UTC", "au %(time)s UTC", "截至 %(time)s UTC"),
    "Sign up to monitor this hearing": ("سجّل لمراقبة هذه الجلسة", "برای نظارت بر این جلسه ثبت‌نام کنید",
                                        "Записаться наблюдателем на заседание", "Inscríbete para observar esta audiencia",
                                        "S'inscrire pour observer cette audience", "报名观察此次庭审"),
    "RSVP": ("سجّل حضورك", "ثبت‌نام", "Записаться", "Inscribirme", "S'inscrire", "报名参加"),
    "Add to my calendar (iCalendar)": ("أضف إلى تقويمي (iCalendar)", "افزودن به تقویم من (iCalendar)",
                                       "Добавить в календарь (iCalendar)", "Añadir a mi calendario (iCalendar)",
                                       "Ajouter à mon agenda (iCalendar)", "添加到我的日历（iCalendar）"),
    "All events": ("كل الفعاليات", "همهٔ رویدادها", "Все мероприятия", "Todos los eventos", "Tous les événements",
                   "全部活动"),
    "Events": ("الفعاليات", "رویدادها", "Мероприятия", "Eventos", "Événements", "活动"),
    "Vigils, action days and hearings to monitor: come, or mark the day where you are.": (
        "وقفات وأيام تحرّك وجلسات للمراقبة: تعالوا، أو أحيوا اليوم حيث أنتم.",
        "تجمع‌ها، روزهای اقدام و جلسه‌های دادگاه برای نظارت: بیایید، یا این روز را هر جا هستید گرامی بدارید.",
        "Пикеты, дни действий и суды для наблюдения: приходите или отметьте этот день там, где вы есть.",
        "Vigilias, días de acción y audiencias que observar: ven, o recuerda el día allí donde estés.",
        "Veillées, journées d'action et audiences à observer : venez, ou marquez la journée là où vous êtes.",
        "守夜、行动日和需要观察的庭审：欢迎前来，或在您所在之处纪念这一天。"),
    "Cancelled": ("أُلغيت", "لغو شد", "Отменено", "Cancelado", "Annulé", "已取消"),
    "No event is planned in this language right now.": (
        "لا توجد فعالية مقرّرة بهذه اللغة حاليًا.", "فعلاً رویدادی به این زبان برنامه‌ریزی نشده است.",
        "Сейчас на этом языке мероприятий нет.", "Ahora mismo no hay eventos previstos en este idioma.",
        "Aucun événement n'est prévu dans cette langue pour le moment.", "目前没有以此语言发布的活动。"),
    "Calendars": ("التقاويم", "تقویم‌ها", "Календари", "Calendarios", "Agendas", "日历"),
    "All events (iCalendar)": ("كل الفعاليات (iCalendar)", "همهٔ رویدادها (iCalendar)", "Все мероприятия (iCalendar)",
                               "Todos los eventos (iCalendar)", "Tous les événements (iCalendar)", "全部活动（iCalendar）"),
    "Events in %(country)s (iCalendar)": (
        "الفعاليات في %(country)s (iCalendar)", "رویدادها در %(country)s (iCalendar)",
        "Мероприятия: %(country)s (iCalendar)", "Eventos en %(country)s (iCalendar)",
        "Événements : %(country)s (iCalendar)", "%(country)s 的活动（iCalendar）"),
    "Your RSVP": ("تسجيلك", "ثبت‌نام شما", "Ваша запись", "Tu inscripción", "Votre inscription", "您的报名"),
    "Your RSVP is confirmed.": ("تأكّد تسجيلك.", "ثبت‌نام شما تأیید شد.", "Ваша запись подтверждена.",
                                "Tu inscripción está confirmada.", "Votre inscription est confirmée.", "您的报名已确认。"),
    "Please do not pass these details on: the organisers give them only to people who RSVP.": (
        "يُرجى عدم تمرير هذه التفاصيل: يعطيها المنظّمون لمن يسجّلون فقط.",
        "لطفاً این جزئیات را به دیگران ندهید: برگزارکنندگان آن را فقط به ثبت‌نام‌کنندگان می‌دهند.",
        "Пожалуйста, не передавайте эти сведения: организаторы сообщают их только записавшимся.",
        "Por favor, no difundas estos datos: la organización solo los da a quienes se inscriben.",
        "Merci de ne pas diffuser ces informations : les organisateurs ne les donnent qu'aux personnes inscrites.",
        "请勿转发这些信息：组织者只将其提供给报名者。"),
    "Cancel my RSVP": ("ألغِ تسجيلي", "ثبت‌نامم را لغو کن", "Отменить запись", "Cancelar mi inscripción",
                       "Annuler mon inscription", "取消我的报名"),
    "This link does not work": ("هذا الرابط لا يعمل", "این پیوند کار نمی‌کند", "Ссылка не работает",
                                "Este enlace no funciona", "Ce lien ne fonctionne pas", "此链接无法使用"),
    "We send you an e-mail first: your RSVP counts once you confirm it.": (
        "نرسل إليك رسالة أولًا: يُحتسب تسجيلك بعد أن تؤكّده.", "ابتدا برایتان ایمیلی می‌فرستیم: ثبت‌نام شما پس از تأیید حساب می‌شود.",
        "Сначала мы пришлём письмо: запись засчитывается после подтверждения.",
        "Primero te enviamos un correo: tu inscripción cuenta cuando la confirmas.",
        "Nous vous envoyons d'abord un e-mail : votre inscription compte une fois confirmée.",
        "我们会先给您发送一封邮件：确认后报名才生效。"),
    "The place and the link come with the confirmation.": (
        "يصل المكان والرابط مع التأكيد.", "مکان و پیوند همراه تأیید می‌آید.", "Место и ссылка придут с подтверждением.",
        "El lugar y el enlace llegan con la confirmación.", "Le lieu et le lien arrivent avec la confirmation.",
        "地点和链接将随确认邮件发送。"),
    "Nothing was sent. Please correct the following.": (
        "لم يُرسَل شيء. يُرجى تصحيح ما يلي.", "چیزی فرستاده نشد. لطفاً موارد زیر را اصلاح کنید.",
        "Ничего не отправлено. Исправьте, пожалуйста, следующее.", "No se ha enviado nada. Corrige lo siguiente.",
        "Rien n'a été envoyé. Veuillez corriger ce qui suit.", "未发送任何内容。请更正以下内容。"),
    "Send my RSVP": ("أرسل تسجيلي", "ثبت‌نامم را بفرست", "Отправить запись", "Enviar mi inscripción",
                     "Envoyer mon inscription", "提交报名"),
    "Coming events": ("فعاليات قادمة", "رویدادهای پیش رو", "Ближайшие мероприятия", "Próximos eventos",
                      "Événements à venir", "即将举行的活动"),
    "Calendar of these events (iCalendar)": (
        "تقويم هذه الفعاليات (iCalendar)", "تقویم این رویدادها (iCalendar)", "Календарь этих мероприятий (iCalendar)",
        "Calendario de estos eventos (iCalendar)", "Agenda de ces événements (iCalendar)", "这些活动的日历（iCalendar）"),
    "Check your e-mail": ("تفقّد بريدك الإلكتروني", "ایمیل خود را بررسی کنید", "Проверьте почту", "Revisa tu correo",
                          "Consultez vos e-mails", "请查看您的电子邮件"),
    "If the address is right, an e-mail is on its way. Open the link in it and press the button to confirm your "
    "RSVP.": (
        "إذا كان العنوان صحيحًا فرسالة في طريقها إليك. افتح الرابط فيها واضغط الزر لتأكيد تسجيلك.",
        "اگر نشانی درست باشد، ایمیلی در راه است. پیوند آن را باز کنید و دکمه را بزنید تا ثبت‌نامتان تأیید شود.",
        "Если адрес верный, письмо уже в пути. Откройте ссылку в нём и нажмите кнопку, чтобы подтвердить запись.",
        "Si la dirección es correcta, va un correo en camino. Abre el enlace y pulsa el botón para confirmar tu "
        "inscripción.",
        "Si l'adresse est juste, un e-mail est en route. Ouvrez le lien qu'il contient et appuyez sur le bouton pour "
        "confirmer votre inscription.",
        "如果地址无误，邮件正在发送中。请打开其中的链接并点击按钮确认报名。"),
    "Where the event happens:": ("حيث تُقام الفعالية:", "در محل برگزاری رویداد:", "Там, где проходит мероприятие:",
                                 "Donde se celebra el evento:", "Là où a lieu l'événement :", "活动举办地时间："),
    "In %(zone)s:": ("في %(zone)s:", "در %(zone)s:", "%(zone)s:", "En %(zone)s:", "Heure de %(zone)s :",
                     "%(zone)s："),
    "Your time zone": ("منطقتك الزمنية", "منطقهٔ زمانی شما", "Ваш часовой пояс", "Tu zona horaria",
                       "Votre fuseau horaire", "您的时区"),
    "Show the time": ("اعرض الموعد", "نمایش زمان", "Показать время", "Mostrar la hora", "Afficher l'heure", "显示时间"),
    "Back to the event": ("العودة إلى الفعالية", "بازگشت به رویداد", "Назад к мероприятию", "Volver al evento",
                          "Retour à l'événement", "返回活动"),
    "Please confirm your RSVP: %(title)s": (
        "يُرجى تأكيد تسجيلك: %(title)s", "لطفاً ثبت‌نام خود را تأیید کنید: %(title)s", "Подтвердите запись: %(title)s",
        "Confirma tu inscripción: %(title)s", "Merci de confirmer votre inscription : %(title)s",
        "请确认您的报名：%(title)s"),
    CONFIRM_BODY: (
        "شكرًا لتسجيلك في \"%(title)s\".\n\nافتح هذا الرابط واضغط الزر في الصفحة لتأكيده:\n\n%(link)s\n\n"
        "إن لم تكن أنت، فتجاهل هذه الرسالة: لن يحدث شيء وسيُحذف الطلب.",
        "از ثبت‌نام شما در «%(title)s» سپاسگزاریم.\n\nاین پیوند را باز کنید و دکمهٔ صفحه را بزنید تا تأیید شود:\n\n"
        "%(link)s\n\nاگر شما نبودید، این پیام را نادیده بگیرید: اتفاقی نمی‌افتد و درخواست پاک می‌شود.",
        "Спасибо за запись на «%(title)s».\n\nОткройте ссылку и нажмите кнопку на странице, чтобы подтвердить:\n\n"
        "%(link)s\n\nЕсли это были не вы, просто проигнорируйте письмо: ничего не произойдёт, запрос будет удалён.",
        "Gracias por inscribirte en «%(title)s».\n\nAbre este enlace y pulsa el botón de la página para "
        "confirmarlo:\n\n%(link)s\n\nSi no fuiste tú, ignora este mensaje: no pasará nada y la solicitud se borrará.",
        "Merci de votre inscription à « %(title)s ».\n\nOuvrez ce lien et appuyez sur le bouton de la page pour la "
        "confirmer :\n\n%(link)s\n\nSi ce n'était pas vous, ignorez ce message : rien ne se passera et la demande "
        "sera effacée.",
        "感谢您报名参加“%(title)s”。\n\n请打开此链接并点击页面上的按钮进行确认：\n\n%(link)s\n\n"
        "如果不是您本人操作，请忽略此邮件：不会有任何影响，该请求将被删除。"),
    'Your RSVP to "%(title)s" is confirmed.': (
        "تأكّد تسجيلك في \"%(title)s\".", "ثبت‌نام شما در «%(title)s» تأیید شد.", "Ваша запись на «%(title)s» подтверждена.",
        "Tu inscripción en «%(title)s» está confirmada.", "Votre inscription à « %(title)s » est confirmée.",
        "您对“%(title)s”的报名已确认。"),
    "Place: %(place)s": ("المكان: %(place)s", "مکان: %(place)s", "Место: %(place)s", "Lugar: %(place)s",
                         "Lieu : %(place)s", "地点：%(place)s"),
    "Online: %(link)s": ("عبر الإنترنت: %(link)s", "آنلاین: %(link)s", "Онлайн: %(link)s", "En línea: %(link)s",
                         "En ligne : %(link)s", "线上：%(link)s"),
    "To see the details again or to cancel your RSVP:": (
        "لعرض التفاصيل مرة أخرى أو لإلغاء تسجيلك:", "برای دیدن دوبارهٔ جزئیات یا لغو ثبت‌نام:",
        "Чтобы снова увидеть подробности или отменить запись:", "Para volver a ver los detalles o cancelar tu inscripción:",
        "Pour revoir les informations ou annuler votre inscription :", "再次查看详情或取消报名："),
    "Your RSVP is confirmed: %(title)s": (
        "تأكّد تسجيلك: %(title)s", "ثبت‌نام شما تأیید شد: %(title)s", "Запись подтверждена: %(title)s",
        "Inscripción confirmada: %(title)s", "Inscription confirmée : %(title)s", "报名已确认：%(title)s"),
    "You have already RSVPed: %(title)s": (
        "سبق أن سجّلت: %(title)s", "قبلاً ثبت‌نام کرده‌اید: %(title)s", "Вы уже записались: %(title)s",
        "Ya te has inscrito: %(title)s", "Vous êtes déjà inscrit·e : %(title)s", "您已报名：%(title)s"),
    ALREADY_BODY: (
        "أرسل أحدٌ (ربما أنت) تسجيلًا في \"%(title)s\" مرة أخرى بهذا العنوان. تسجيلك مؤكَّد من قبل. لعرض التفاصيل أو "
        "الإلغاء:\n\n%(link)s",
        "کسی (احتمالاً شما) دوباره با این نشانی در «%(title)s» ثبت‌نام کرد. ثبت‌نام شما پیش‌تر تأیید شده است. برای دیدن "
        "جزئیات یا لغو:\n\n%(link)s",
        "Кто-то (вероятно, вы) снова записался на «%(title)s» с этим адресом. Ваша запись уже подтверждена. "
        "Подробности или отмена:\n\n%(link)s",
        "Alguien (probablemente tú) volvió a inscribirse en «%(title)s» con esta dirección. Tu inscripción ya está "
        "confirmada. Para ver los detalles o cancelar:\n\n%(link)s",
        "Quelqu'un (sans doute vous) s'est de nouveau inscrit à « %(title)s » avec cette adresse. Votre inscription "
        "est déjà confirmée. Pour voir les informations ou annuler :\n\n%(link)s",
        "有人（可能是您）再次用此地址报名了“%(title)s”。您的报名已确认。查看详情或取消：\n\n%(link)s"),
    "Cancelled: %(title)s": ("أُلغيت: %(title)s", "لغو شد: %(title)s", "Отменено: %(title)s", "Cancelado: %(title)s",
                             "Annulé : %(title)s", "已取消：%(title)s"),
    'The organisers have cancelled "%(title)s". Thank you for planning to come.': (
        "ألغى المنظّمون \"%(title)s\". شكرًا لأنك كنت تنوي الحضور.", "برگزارکنندگان «%(title)s» را لغو کردند. از قصد حضورتان سپاسگزاریم.",
        "Организаторы отменили «%(title)s». Спасибо, что собирались прийти.",
        "La organización ha cancelado «%(title)s». Gracias por haber pensado venir.",
        "Les organisateurs ont annulé « %(title)s ». Merci d'avoir prévu de venir.", "组织者已取消“%(title)s”。感谢您原本打算参加。"),
}

# Plural entries: msgid -> per language, the forms in the order of that language's plural rule.
P: dict[str, tuple[list[str], ...]] = {
    "%(count)s person has RSVPed": (
        ["لم يسجّل أحد (%(count)s)", "سجّل شخص واحد (%(count)s)", "سجّل شخصان (%(count)s)",
         "سجّل %(count)s أشخاص", "سجّل %(count)s شخصًا", "سجّل %(count)s شخص"],
        ["%(count)s نفر ثبت‌نام کرده است", "%(count)s نفر ثبت‌نام کرده‌اند"],
        ["Записался %(count)s человек", "Записались %(count)s человека", "Записались %(count)s человек"],
        ["%(count)s persona se ha inscrito", "%(count)s personas se han inscrito"],
        ["%(count)s personne inscrite", "%(count)s personnes inscrites"],
        ["已有 %(count)s 人报名"]),
    CONSENT_ONE: (
        ["استخدموا عنوان بريدي لهذه الفعالية فقط: لتأكيد تسجيلي وإرسال التفاصيل العملية. يُحذف بعد %(months)d شهر من الفعالية."] * 6,
        ["نشانی ایمیلم را فقط برای این رویداد به کار ببرید: برای تأیید ثبت‌نام و فرستادن جزئیات عملی. %(months)d ماه پس از رویداد پاک می‌شود."] * 2,
        ["Используйте мой адрес только для этого мероприятия: чтобы подтвердить запись и прислать подробности. "
         "Он будет удалён через %(months)d месяц после мероприятия.",
         "Используйте мой адрес только для этого мероприятия: чтобы подтвердить запись и прислать подробности. "
         "Он будет удалён через %(months)d месяца после мероприятия.",
         "Используйте мой адрес только для этого мероприятия: чтобы подтвердить запись и прислать подробности. "
         "Он будет удалён через %(months)d месяцев после мероприятия."],
        ["Usad mi dirección solo para este evento: para confirmar mi inscripción y enviarme los detalles prácticos. "
         "Se borra %(months)d mes después del evento.",
         "Usad mi dirección solo para este evento: para confirmar mi inscripción y enviarme los detalles prácticos. "
         "Se borra %(months)d meses después del evento."],
        ["Utilisez mon adresse uniquement pour cet événement : pour confirmer mon inscription et m'envoyer les "
         "informations pratiques. Elle est effacée %(months)d mois après l'événement."] * 2,
        ["我的电子邮箱地址仅用于此活动：确认报名并发送具体安排。活动结束 %(months)d 个月后删除。"]),
}


def _entries(path: Path) -> list[tuple[str, str | None]]:
    """(msgid, msgid_plural or None) of every entry makemessages wrote."""
    text = path.read_text(encoding="utf-8")
    out: list[tuple[str, str | None]] = []
    for match in re.finditer(r'^msgid ((?:".*"\n)+)(?:msgid_plural ((?:".*"\n)+))?', text, re.M):
        msgid = "".join(ast.literal_eval(line) for line in match.group(1).splitlines() if line)
        plural = match.group(2)
        if msgid:
            out.append((msgid, "".join(ast.literal_eval(x) for x in plural.splitlines() if x) if plural else None))
    return out


def _quote(text: str) -> str:
    escaped = text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")
    return f'"{escaped}"'


def write(language: str) -> int:
    path = HERE / language / "LC_MESSAGES" / "django.po"
    found = _entries(path)
    index = LANGS.index(language)
    lines = ['msgid ""', 'msgstr ""', '"Project-Id-Version: unforgotten\\n"', '"MIME-Version: 1.0\\n"',
             '"Content-Type: text/plain; charset=UTF-8\\n"', '"Content-Transfer-Encoding: 8bit\\n"',
             f'"Language: {language}\\n"', f'"Plural-Forms: {PLURALS[language]}\\n"', ""]
    nplurals = int(PLURALS[language].split("nplurals=")[1].split(";")[0])
    for msgid, plural in found:
        flag = ["#, python-format"] if "%(" in msgid else []
        if plural is not None:
            forms = P[msgid][index]
            if len(forms) != nplurals:
                raise SystemExit(f"{language}: {len(forms)} forms for {msgid!r}, the rule has {nplurals}")
            lines += [*flag, f"msgid {_quote(msgid)}", f"msgid_plural {_quote(plural)}"]
            lines += [f"msgstr[{i}] {_quote(form)}" for i, form in enumerate(forms)] + [""]
        else:
            if msgid not in T:
                raise SystemExit(f"{msgid!r} has no translation in generate.py")
            lines += [*flag, f"msgid {_quote(msgid)}", f"msgstr {_quote(T[msgid][index])}", ""]
    path.write_text("\n".join(lines), encoding="utf-8")
    return len(found)


if __name__ == "__main__":
    for code in LANGS:
        print(code, write(code))  # noqa: T201  (a developer tool's report)
