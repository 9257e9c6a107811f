"""Regenerates the public-facing translations of take-action (issue 7) into <lang>/LC_MESSAGES/django.po.

What a supporter reads (the petition page, the form, the confirmation and data pages, the e-mails, the consent
wording, the delivered PDF) is translated here, by hand; the campaigners' workspace stays in English, like the
registry's. Run from this folder after ``makemessages``: it keeps the msgids makemessages found, in its order,
and fills in the texts below (an msgid missing here is left untranslated and shows in English).

    ../../../.venv/bin/unforgotten makemessages -l ar -l fa -l ru -l es -l fr -l zh_Hans --no-location
    ../../../.venv/bin/python generate.py
"""

from __future__ import annotations

import ast
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

CONFIRM_BODY = (
    'Thank you for signing "%(title)s".\n\n'
    "Your signature counts once you confirm it. Open this link and press the button on the page:\n\n"
    "%(link)s\n\n"
    "If you did not sign, ignore this message: nothing will be counted, and the signature will be deleted after "
    "%(days)d days."
)
ALREADY_BODY = ('Someone (probably you) signed "%(title)s" again with this address. Your signature was already '
                "counted; there is nothing more to do.")
DATA_BODY = ("Someone (probably you) asked to see or erase the data kept about this address.\n\n"
             "This link works for 24 hours:\n\n%(link)s\n\nIf it was not you, ignore this message.")

T: dict[str, tuple[str, str, str, str, str, str]] = {
    # msgid: (ar, fa, ru, es, fr, zh_Hans)
    "Remove the control characters from this text.": (
        "أزِل رموز التحكم من هذا النص.", "نویسه‌های کنترلی را از این متن حذف کنید.",
        "Удалите из текста управляющие символы.", "Elimina los caracteres de control de este texto.",
        "Retirez les caractères de contrôle de ce texte.", "请删除此文本中的控制字符。"),
    "Keep this under %(limit)d characters.": (
        "اجعل هذا النص أقل من %(limit)d حرفًا.", "این متن باید کمتر از %(limit)d نویسه باشد.",
        "Не более %(limit)d символов.", "Que tenga menos de %(limit)d caracteres.",
        "Pas plus de %(limit)d caractères.", "请不要超过 %(limit)d 个字符。"),
    "Please confirm your signature: %(title)s": (
        "يُرجى تأكيد توقيعك: %(title)s", "لطفاً امضای خود را تأیید کنید: %(title)s",
        "Подтвердите свою подпись: %(title)s", "Confirma tu firma: %(title)s",
        "Merci de confirmer votre signature : %(title)s", "请确认您的签名：%(title)s"),
    CONFIRM_BODY: (
        "شكرًا لتوقيعك على «%(title)s».\n\nيُحتسب توقيعك بعد تأكيده. افتح هذا الرابط واضغط على الزر في الصفحة:\n\n"
        "%(link)s\n\nإن لم تكن أنت من وقّع، فتجاهل هذه الرسالة: لن يُحتسب شيء، وسيُحذف التوقيع بعد %(days)d يومًا.",
        "از امضای «%(title)s» سپاسگزاریم.\n\nامضای شما پس از تأیید شمرده می‌شود. این پیوند را باز کنید و دکمهٔ صفحه "
        "را بزنید:\n\n%(link)s\n\nاگر شما امضا نکرده‌اید، این پیام را نادیده بگیرید: چیزی شمرده نمی‌شود و امضا پس از "
        "%(days)d روز پاک می‌شود.",
        "Спасибо, что подписали «%(title)s».\n\nПодпись будет учтена после подтверждения. Откройте ссылку и нажмите "
        "кнопку на странице:\n\n%(link)s\n\nЕсли вы не подписывали, просто не обращайте внимания на это письмо: "
        "ничего не будет учтено, а подпись будет удалена через %(days)d дней.",
        "Gracias por firmar «%(title)s».\n\nTu firma cuenta en cuanto la confirmes. Abre este enlace y pulsa el botón "
        "de la página:\n\n%(link)s\n\nSi no firmaste, ignora este mensaje: no se contará nada y la firma se borrará "
        "en %(days)d días.",
        "Merci d'avoir signé « %(title)s ».\n\nVotre signature compte dès que vous la confirmez. Ouvrez ce lien et "
        "appuyez sur le bouton de la page :\n\n%(link)s\n\nSi vous n'avez pas signé, ignorez ce message : rien ne "
        "sera compté, et la signature sera effacée dans %(days)d jours.",
        "感谢您签署“%(title)s”。\n\n您的签名在确认后才会计入。请打开此链接并按下页面上的按钮：\n\n%(link)s\n\n"
        "如果不是您本人签署，请忽略此邮件：不会计入任何内容，该签名将在 %(days)d 天后删除。"),
    "You have already signed: %(title)s": (
        "لقد وقّعت من قبل: %(title)s", "شما پیش‌تر امضا کرده‌اید: %(title)s", "Вы уже подписали: %(title)s",
        "Ya has firmado: %(title)s", "Vous avez déjà signé : %(title)s", "您已经签署过：%(title)s"),
    ALREADY_BODY: (
        "وقّع أحدهم (على الأرجح أنت) «%(title)s» مرة أخرى بهذا العنوان. توقيعك محتسب من قبل؛ لا حاجة لفعل شيء آخر.",
        "کسی (احتمالاً خود شما) دوباره با این نشانی «%(title)s» را امضا کرد. امضای شما پیش‌تر شمرده شده است؛ "
        "کار دیگری لازم نیست.",
        "Кто-то (вероятно, вы) снова подписал «%(title)s» с этого адреса. Ваша подпись уже учтена; больше ничего "
        "делать не нужно.",
        "Alguien (probablemente tú) volvió a firmar «%(title)s» con esta dirección. Tu firma ya estaba contada; no "
        "hace falta hacer nada más.",
        "Quelqu'un (sans doute vous) a de nouveau signé « %(title)s » avec cette adresse. Votre signature était déjà "
        "comptée ; il n'y a rien d'autre à faire.",
        "有人（可能是您）用此地址再次签署了“%(title)s”。您的签名已经计入，无需再做任何事。"),
    "Choose a country from the list.": (
        "اختر بلدًا من القائمة.", "کشوری را از فهرست برگزینید.", "Выберите страну из списка.",
        "Elige un país de la lista.", "Choisissez un pays dans la liste.", "请从列表中选择一个国家。"),
    "This petition is closed; it no longer takes signatures.": (
        "هذه العريضة مغلقة؛ لم تعد تقبل التوقيعات.", "این دادخواست بسته شده است و دیگر امضا نمی‌پذیرد.",
        "Эта петиция закрыта и больше не принимает подписи.", "Esta petición está cerrada; ya no admite firmas.",
        "Cette pétition est close ; elle n'accepte plus de signatures.", "此请愿已关闭，不再接受签名。"),
    "Your data with Unforgotten campaigns": (
        "بياناتك لدى حملات Unforgotten", "داده‌های شما در کارزارهای Unforgotten", "Ваши данные в кампаниях Unforgotten",
        "Tus datos en las campañas de Unforgotten", "Vos données dans les campagnes Unforgotten",
        "您在 Unforgotten 活动中的数据"),
    DATA_BODY: (
        "طلب أحدهم (على الأرجح أنت) الاطلاع على البيانات المحفوظة عن هذا العنوان أو محوها.\n\nيعمل هذا الرابط "
        "مدة 24 ساعة:\n\n%(link)s\n\nإن لم تكن أنت، فتجاهل هذه الرسالة.",
        "کسی (احتمالاً خود شما) خواسته است داده‌های نگه‌داشته دربارهٔ این نشانی را ببیند یا پاک کند.\n\nاین پیوند تا "
        "۲۴ ساعت کار می‌کند:\n\n%(link)s\n\nاگر شما نبوده‌اید، این پیام را نادیده بگیرید.",
        "Кто-то (вероятно, вы) попросил показать или удалить данные, хранящиеся об этом адресе.\n\nСсылка действует "
        "24 часа:\n\n%(link)s\n\nЕсли это были не вы, не обращайте внимания на это письмо.",
        "Alguien (probablemente tú) pidió ver o borrar los datos guardados sobre esta dirección.\n\nEste enlace "
        "funciona durante 24 horas:\n\n%(link)s\n\nSi no fuiste tú, ignora este mensaje.",
        "Quelqu'un (sans doute vous) a demandé à voir ou effacer les données conservées sur cette adresse.\n\nCe lien "
        "fonctionne pendant 24 heures :\n\n%(link)s\n\nSi ce n'était pas vous, ignorez ce message.",
        "有人（可能是您）要求查看或删除与此地址有关的数据。\n\n此链接 24 小时内有效：\n\n%(link)s\n\n如果不是您本人，请忽略此邮件。"),
    "E-mail address": ("عنوان البريد الإلكتروني", "نشانی ایمیل", "Адрес электронной почты",
                       "Dirección de correo electrónico", "Adresse e-mail", "电子邮件地址"),
    "Only to confirm your signature. Never shown, never given to the targets.": (
        "لتأكيد توقيعك فقط. لا يُعرض أبدًا ولا يُسلَّم إلى الجهات المخاطَبة.",
        "فقط برای تأیید امضای شما. هرگز نمایش داده نمی‌شود و به مخاطبان دادخواست داده نمی‌شود.",
        "Только для подтверждения подписи. Никогда не показывается и не передаётся адресатам.",
        "Solo para confirmar tu firma. Nunca se muestra ni se entrega a los destinatarios.",
        "Uniquement pour confirmer votre signature. Jamais affichée, jamais transmise aux destinataires.",
        "仅用于确认您的签名。绝不公开，也绝不交给请愿对象。"),
    "Given name (optional)": ("الاسم الأول (اختياري)", "نام (اختیاری)", "Имя (необязательно)", "Nombre (opcional)",
                              "Prénom (facultatif)", "名字（可选）"),
    "Country (optional)": ("البلد (اختياري)", "کشور (اختیاری)", "Страна (необязательно)", "País (opcional)",
                           "Pays (facultatif)", "国家（可选）"),
    "Comment (optional)": ("تعليق (اختياري)", "یادداشت (اختیاری)", "Комментарий (необязательно)",
                           "Comentario (opcional)", "Commentaire (facultatif)", "留言（可选）"),
    "We may print it, without your name, in the petition we deliver.": (
        "قد ننشره، دون اسمك، في العريضة التي نسلّمها.", "ممکن است آن را بی‌نام شما در دادخواستی که تحویل می‌دهیم بیاوریم.",
        "Мы можем напечатать его без вашего имени в передаваемой петиции.",
        "Podemos incluirlo, sin tu nombre, en la petición que entreguemos.",
        "Nous pourrons l'imprimer, sans votre nom, dans la pétition remise.",
        "我们可能会在递交的请愿书中刊出您的留言，但不署您的名字。"),
    "Send me the organisation's newsletter.": (
        "أرسلوا إليّ النشرة الإخبارية للمنظمة.", "خبرنامهٔ سازمان را برایم بفرستید.",
        "Присылайте мне рассылку организации.", "Envíame el boletín de la organización.",
        "Envoyez-moi la lettre d'information de l'organisation.", "请给我发送该组织的通讯。"),
    "Show my given name and country among the signers.": (
        "اعرضوا اسمي الأول وبلدي بين الموقّعين.", "نام و کشورم را در میان امضاکنندگان نشان دهید.",
        "Показывать моё имя и страну среди подписавших.", "Mostrar mi nombre y mi país entre los firmantes.",
        "Afficher mon prénom et mon pays parmi les signataires.", "在签名者名单中显示我的名字和国家。"),
    "Leave this field empty": ("اترك هذا الحقل فارغًا", "این خانه را خالی بگذارید", "Оставьте это поле пустым",
                               "Deja este campo vacío", "Laissez ce champ vide", "请将此栏留空"),
    "The form was open for too long. Please send it again.": (
        "ظلّ النموذج مفتوحًا وقتًا طويلًا. يُرجى إرساله مرة أخرى.", "فرم بیش از اندازه باز ماند. لطفاً دوباره بفرستید.",
        "Форма была открыта слишком долго. Отправьте её ещё раз.",
        "El formulario estuvo abierto demasiado tiempo. Envíalo de nuevo.",
        "Le formulaire est resté ouvert trop longtemps. Merci de l'envoyer à nouveau.",
        "表单打开时间过长，请重新提交。"),
    "Give your e-mail address.": ("اكتب عنوان بريدك الإلكتروني.", "نشانی ایمیل خود را بنویسید.",
                                  "Укажите адрес электронной почты.", "Indica tu dirección de correo electrónico.",
                                  "Indiquez votre adresse e-mail.", "请填写您的电子邮件地址。"),
    "Enter a valid e-mail address.": ("أدخل عنوان بريد إلكتروني صالحًا.", "یک نشانی ایمیل درست وارد کنید.",
                                      "Введите правильный адрес электронной почты.",
                                      "Introduce una dirección de correo válida.", "Saisissez une adresse e-mail valide.",
                                      "请输入有效的电子邮件地址。"),
    "To:": ("إلى:", "به:", "Кому:", "Para:", "À :", "致："),
    "Signatures as of %(when)s: %(count)s": (
        "التوقيعات حتى %(when)s: %(count)s", "امضاها تا %(when)s: %(count)s", "Подписи на %(when)s: %(count)s",
        "Firmas a %(when)s: %(count)s", "Signatures au %(when)s : %(count)s", "截至 %(when)s 的签名：%(count)s"),
    "What signers wrote": ("ما كتبه الموقّعون", "آنچه امضاکنندگان نوشتند", "Что написали подписавшие",
                           "Lo que escribieron los firmantes", "Ce que les signataires ont écrit", "签名者的留言"),
    "This link does not work": ("هذا الرابط لا يعمل", "این پیوند کار نمی‌کند", "Эта ссылка не работает",
                                "Este enlace no funciona", "Ce lien ne fonctionne pas", "此链接无效"),
    ("The link is not valid: it may have been used already, have expired, or have been copied incompletely. If you "
     "already confirmed, your signature is counted and there is nothing more to do."): (
        "الرابط غير صالح: ربما استُخدم من قبل، أو انتهت صلاحيته، أو نُسخ ناقصًا. إن كنت قد أكّدت، فتوقيعك محتسب "
        "ولا حاجة لفعل شيء آخر.",
        "پیوند معتبر نیست: شاید پیش‌تر به کار رفته، منقضی شده یا ناقص رونویسی شده باشد. اگر پیش‌تر تأیید کرده‌اید، "
        "امضایتان شمرده شده و کار دیگری لازم نیست.",
        "Ссылка недействительна: возможно, ею уже воспользовались, срок её действия истёк или она скопирована не "
        "полностью. Если вы уже подтвердили подпись, она учтена, больше ничего делать не нужно.",
        "El enlace no es válido: puede que ya se haya usado, que haya caducado o que se haya copiado incompleto. Si "
        "ya confirmaste, tu firma está contada y no hace falta nada más.",
        "Le lien n'est pas valable : il a peut-être déjà servi, expiré, ou été copié en partie. Si vous avez déjà "
        "confirmé, votre signature est comptée et il n'y a rien d'autre à faire.",
        "链接无效：它可能已被使用、已过期或复制不完整。如果您已经确认，您的签名已计入，无需再做任何事。"),
    "Check your e-mail": ("تفقّد بريدك الإلكتروني", "ایمیل خود را ببینید", "Проверьте почту", "Revisa tu correo",
                          "Consultez vos e-mails", "请查收电子邮件"),
    ("Thank you. We have sent a message to the address you gave. Open the link in it and press the button to "
     "confirm your signature on “%(title)s”. It counts once confirmed."): (
        "شكرًا. أرسلنا رسالة إلى العنوان الذي أعطيته. افتح الرابط فيها واضغط على الزر لتأكيد توقيعك على «%(title)s». "
        "يُحتسب التوقيع بعد تأكيده.",
        "سپاس. پیامی به نشانی‌ای که دادید فرستادیم. پیوند آن را باز کنید و دکمه را بزنید تا امضای «%(title)s» "
        "تأیید شود. امضا پس از تأیید شمرده می‌شود.",
        "Спасибо. Мы отправили письмо на указанный адрес. Откройте ссылку в нём и нажмите кнопку, чтобы подтвердить "
        "подпись под «%(title)s». Она будет учтена после подтверждения.",
        "Gracias. Hemos enviado un mensaje a la dirección que diste. Abre el enlace y pulsa el botón para confirmar "
        "tu firma en «%(title)s». Cuenta en cuanto la confirmes.",
        "Merci. Nous avons envoyé un message à l'adresse indiquée. Ouvrez le lien qu'il contient et appuyez sur le "
        "bouton pour confirmer votre signature de « %(title)s ». Elle compte dès qu'elle est confirmée.",
        "谢谢。我们已向您提供的地址发送了一封邮件。请打开其中的链接并按下按钮，确认您对“%(title)s”的签名。确认后即计入。"),
    "No message? Look in your spam folder, or wait a few minutes.": (
        "لم تصلك رسالة؟ ابحث في مجلد الرسائل غير المرغوب فيها، أو انتظر بضع دقائق.",
        "پیامی نرسید؟ پوشهٔ هرزنامه را ببینید یا چند دقیقه صبر کنید.",
        "Письма нет? Загляните в папку «Спам» или подождите несколько минут.",
        "¿No llega el mensaje? Mira en la carpeta de spam o espera unos minutos.",
        "Pas de message ? Regardez dans vos indésirables, ou attendez quelques minutes.",
        "没有收到邮件？请查看垃圾邮件文件夹，或稍等几分钟。"),
    "Back to the petition": ("العودة إلى العريضة", "بازگشت به دادخواست", "Вернуться к петиции", "Volver a la petición",
                             "Retour à la pétition", "返回请愿"),
    "Confirm your signature": ("أكّد توقيعك", "امضای خود را تأیید کنید", "Подтвердите подпись", "Confirma tu firma",
                               "Confirmez votre signature", "确认您的签名"),
    "You are about to confirm your signature on “%(title)s”.": (
        "أنت على وشك تأكيد توقيعك على «%(title)s».", "در آستانهٔ تأیید امضای «%(title)s» هستید.",
        "Вы подтверждаете подпись под «%(title)s».", "Vas a confirmar tu firma en «%(title)s».",
        "Vous allez confirmer votre signature de « %(title)s ».", "您即将确认对“%(title)s”的签名。"),
    "Confirm only": ("تأكيد فقط", "فقط تأیید", "Только подтвердить", "Solo confirmar", "Confirmer seulement",
                     "仅确认"),
    "Thank you": ("شكرًا", "سپاس", "Спасибо", "Gracias", "Merci", "谢谢"),
    ("Your signature on “%(title)s” is confirmed. The count shown on the page is updated every minute or two."): (
        "تأكّد توقيعك على «%(title)s». يُحدَّث العدد المعروض في الصفحة كل دقيقة أو دقيقتين.",
        "امضای شما برای «%(title)s» تأیید شد. شمارهٔ صفحه هر یکی دو دقیقه به‌روز می‌شود.",
        "Ваша подпись под «%(title)s» подтверждена. Счётчик на странице обновляется раз в минуту-две.",
        "Tu firma en «%(title)s» está confirmada. El recuento de la página se actualiza cada uno o dos minutos.",
        "Votre signature de « %(title)s » est confirmée. Le compteur de la page est mis à jour toutes les une ou "
        "deux minutes.",
        "您对“%(title)s”的签名已确认。页面上的数字每一两分钟更新一次。"),
    "Your data": ("بياناتك", "داده‌های شما", "Ваши данные", "Tus datos", "Vos données", "您的数据"),
    "Download my data": ("تنزيل بياناتي", "دریافت داده‌هایم", "Скачать мои данные", "Descargar mis datos",
                         "Télécharger mes données", "下载我的数据"),
    ("Erasing removes your address, name, consents and comments, your newsletter subscription and RSVPs, and "
     "your name and address from your letters. Confirmed signatures, sent letters and RSVPs stay only in the "
     "counts, linked to nobody."): (
        "يزيل المحو عنوانك واسمك وموافقاتك وتعليقاتك، واشتراكك في النشرة الإخبارية وتسجيلات حضورك، واسمك وعنوانك "
        "من رسائلك. تبقى التوقيعات المؤكَّدة والرسائل المُرسَلة وتسجيلات الحضور في الأعداد فقط، دون أن ترتبط بأحد.",
        "پاک کردن، نشانی، نام، رضایت‌ها و یادداشت‌های شما، اشتراک خبرنامه و ثبت‌نام‌هایتان در رویدادها، و نام و "
        "نشانی شما را از نامه‌هایتان حذف می‌کند. امضاهای تأییدشده، نامه‌های فرستاده‌شده و ثبت‌نام‌ها فقط در شمارش "
        "می‌مانند، بی‌آنکه به کسی پیوند داشته باشند.",
        "Удаление стирает ваш адрес, имя, согласия и комментарии, подписку на рассылку и записи на мероприятия, а "
        "также ваше имя и адрес в ваших письмах. Подтверждённые подписи, отправленные письма и записи остаются только "
        "в подсчёте, ни с кем не связанные.",
        "Borrar elimina tu dirección, nombre, consentimientos y comentarios, tu suscripción al boletín y tus "
        "inscripciones a eventos, y tu nombre y dirección de tus cartas. Las firmas confirmadas, las cartas enviadas "
        "y las inscripciones solo quedan en los recuentos, sin vínculo con nadie.",
        "L'effacement supprime votre adresse, votre nom, vos consentements et vos commentaires, votre abonnement à "
        "la lettre d'information et vos inscriptions aux événements, ainsi que votre nom et votre adresse dans vos "
        "lettres. Les signatures confirmées, les lettres envoyées et les inscriptions ne restent que dans les "
        "comptes, liées à personne.",
        "删除会清除您的地址、姓名、同意记录和留言，您的新闻通讯订阅和活动报名，以及您信件中的姓名和地址。"
        "已确认的签名、已寄出的信件和报名只保留在计数中，不与任何人关联。"),
    "Erase my data": ("امحُ بياناتي", "پاک کردن داده‌هایم", "Удалить мои данные", "Borrar mis datos",
                      "Effacer mes données", "删除我的数据"),
    "Your data is erased": ("مُحيت بياناتك", "داده‌های شما پاک شد", "Ваши данные удалены", "Tus datos están borrados",
                            "Vos données sont effacées", "您的数据已删除"),
    "Nothing kept here is linked to your address any more.": (
        "لم يعد أي شيء محفوظ هنا مرتبطًا بعنوانك.", "دیگر هیچ چیزِ نگه‌داشته‌ای در اینجا به نشانی شما پیوند ندارد.",
        "Ничто из хранящегося здесь больше не связано с вашим адресом.",
        "Nada de lo que se guarda aquí está ya vinculado a tu dirección.",
        "Plus rien de ce qui est conservé ici n'est lié à votre adresse.", "这里保存的任何内容都不再与您的地址关联。"),
    ("If we keep anything about this address, we have sent it a link to see or erase it. The link works for 24 "
     "hours."): (
        "إن كنا نحتفظ بشيء عن هذا العنوان، فقد أرسلنا إليه رابطًا للاطلاع عليه أو محوه. يعمل الرابط مدة 24 ساعة.",
        "اگر چیزی دربارهٔ این نشانی نگه داشته باشیم، پیوندی برای دیدن یا پاک کردنش به آن فرستاده‌ایم. پیوند تا ۲۴ "
        "ساعت کار می‌کند.",
        "Если мы храним что-либо об этом адресе, мы отправили на него ссылку для просмотра или удаления. Ссылка "
        "действует 24 часа.",
        "Si guardamos algo sobre esta dirección, le hemos enviado un enlace para verlo o borrarlo. El enlace funciona "
        "durante 24 horas.",
        "Si nous conservons quoi que ce soit sur cette adresse, nous lui avons envoyé un lien pour le voir ou "
        "l'effacer. Le lien fonctionne pendant 24 heures.",
        "如果我们保存了与此地址有关的任何内容，已向其发送查看或删除的链接。链接 24 小时内有效。"),
    ("Give the e-mail address you signed with. We will send it a link to download or erase everything kept about "
     "it."): (
        "اكتب عنوان البريد الذي وقّعت به. سنرسل إليه رابطًا لتنزيل كل ما نحتفظ به عنه أو محوه.",
        "نشانی ایمیلی را که با آن امضا کردید بنویسید. پیوندی برای دریافت یا پاک کردن همهٔ داده‌های نگه‌داشته به آن "
        "می‌فرستیم.",
        "Укажите адрес, с которым вы подписывали. Мы отправим на него ссылку, чтобы скачать или удалить всё, что о "
        "нём хранится.",
        "Indica la dirección con la que firmaste. Le enviaremos un enlace para descargar o borrar todo lo que se "
        "guarda sobre ella.",
        "Indiquez l'adresse avec laquelle vous avez signé. Nous lui enverrons un lien pour télécharger ou effacer tout "
        "ce qui est conservé à son sujet.",
        "请填写您签名时使用的电子邮件地址。我们会向其发送一个链接，用于下载或删除与之有关的全部数据。"),
    "Send me the link": ("أرسلوا إليّ الرابط", "پیوند را برایم بفرستید", "Прислать ссылку", "Envíame el enlace",
                         "Envoyez-moi le lien", "给我发送链接"),
    "Signatures": ("التوقيعات", "امضاها", "Подписи", "Firmas", "Signatures", "签名"),
    "signatures": ("توقيعًا", "امضا", "подписей", "firmas", "signatures", "个签名"),
    "goal: %(goal)s": ("الهدف: %(goal)s", "هدف: %(goal)s", "цель: %(goal)s", "meta: %(goal)s", "objectif : %(goal)s",
                       "目标：%(goal)s"),
    "Counted as of %(when)s UTC; new confirmed signatures appear within a minute or two.": (
        "العدد حتى %(when)s بالتوقيت العالمي؛ تظهر التوقيعات المؤكَّدة الجديدة خلال دقيقة أو دقيقتين.",
        "شمارش تا %(when)s به وقت جهانی؛ امضاهای تأییدشدهٔ تازه در یکی دو دقیقه نمایان می‌شوند.",
        "Подсчёт на %(when)s UTC; новые подтверждённые подписи появляются в течение минуты-двух.",
        "Recuento a las %(when)s UTC; las nuevas firmas confirmadas aparecen en uno o dos minutos.",
        "Compté au %(when)s UTC ; les nouvelles signatures confirmées apparaissent en une ou deux minutes.",
        "截至 UTC %(when)s 的计数；新确认的签名会在一两分钟内显示。"),
    "Sign": ("وقّع", "امضا", "Подписать", "Firmar", "Signer", "签名"),
    "Sign the petition": ("وقّع العريضة", "دادخواست را امضا کنید", "Подписать петицию", "Firmar la petición",
                          "Signer la pétition", "签署请愿"),
    ("We will e-mail you a link; your signature counts once you confirm it. Without JavaScript this works just the "
     "same."): (
        "سنرسل إليك رابطًا بالبريد الإلكتروني؛ يُحتسب توقيعك بعد تأكيده. يعمل هذا بالطريقة نفسها دون جافاسكربت.",
        "پیوندی برایتان ایمیل می‌کنیم؛ امضای شما پس از تأیید شمرده می‌شود. بدون جاوااسکریپت هم همین‌گونه کار می‌کند.",
        "Мы пришлём ссылку по почте; подпись будет учтена после подтверждения. Без JavaScript всё работает так же.",
        "Te enviaremos un enlace por correo; tu firma cuenta en cuanto la confirmes. Sin JavaScript funciona igual.",
        "Nous vous enverrons un lien par e-mail ; votre signature compte dès que vous la confirmez. Sans JavaScript, "
        "cela fonctionne de la même façon.",
        "我们会通过电子邮件给您发送一个链接；确认后您的签名才会计入。不启用 JavaScript 也同样可用。"),
    ("We keep your address only to confirm your signature and as long as the campaign needs it; signers are "
     "anonymised after the petition closes."): (
        "نحتفظ بعنوانك لتأكيد توقيعك فقط وطوال حاجة الحملة إليه؛ تُزال هوية الموقّعين بعد إغلاق العريضة.",
        "نشانی شما را فقط برای تأیید امضا و تا زمانی که کارزار نیاز دارد نگه می‌داریم؛ پس از بسته شدن دادخواست، "
        "امضاکنندگان ناشناس می‌شوند.",
        "Мы храним ваш адрес только для подтверждения подписи и пока он нужен кампании; после закрытия петиции "
        "данные подписавших обезличиваются.",
        "Guardamos tu dirección solo para confirmar tu firma y mientras la campaña la necesite; los firmantes se "
        "anonimizan cuando se cierra la petición.",
        "Nous gardons votre adresse uniquement pour confirmer votre signature et tant que la campagne en a besoin ; "
        "les signataires sont anonymisés après la clôture de la pétition.",
        "我们保存您的地址仅用于确认签名，且仅在活动需要期间保存；请愿关闭后，签名者信息将被匿名化。"),
    "See or erase your data": ("اطّلع على بياناتك أو امحُها", "داده‌هایتان را ببینید یا پاک کنید",
                               "Посмотреть или удалить свои данные", "Ver o borrar tus datos",
                               "Voir ou effacer vos données", "查看或删除您的数据"),
    "Count my signature on this petition. My e-mail address is used only to confirm it.": (
        "احتسبوا توقيعي على هذه العريضة. لا يُستخدم بريدي الإلكتروني إلا لتأكيده.",
        "امضای مرا در این دادخواست بشمارید. از نشانی ایمیلم فقط برای تأیید آن استفاده می‌شود.",
        "Учтите мою подпись под этой петицией. Мой адрес используется только для её подтверждения.",
        "Contad mi firma en esta petición. Mi dirección de correo solo se usa para confirmarla.",
        "Comptez ma signature sur cette pétition. Mon adresse e-mail ne sert qu'à la confirmer.",
        "将我的签名计入此请愿。我的电子邮件地址仅用于确认签名。"),
    "Confirm and keep me informed about this campaign by e-mail.": (
        "أكّد وأبقني على اطلاع على هذه الحملة بالبريد الإلكتروني.", "تأیید کنید و مرا با ایمیل از این کارزار باخبر نگه دارید.",
        "Подтвердить и сообщать мне об этой кампании по почте.",
        "Confirmar y mantenerme informado de esta campaña por correo.",
        "Confirmer et me tenir informé de cette campagne par e-mail.", "确认，并通过电子邮件告诉我这项活动的进展。"),
    "Stop all e-mails and hide my name (withdraw my consents)": (
        "أوقفوا كل الرسائل وأخفوا اسمي (سحب موافقاتي)", "همهٔ ایمیل‌ها را قطع کنید و نامم را پنهان کنید (پس گرفتن رضایت‌ها)",
        "Больше не присылать писем и скрыть моё имя (отозвать согласия)",
        "Dejar de enviarme correos y ocultar mi nombre (retirar mis consentimientos)",
        "Ne plus m'envoyer d'e-mails et masquer mon nom (retirer mes consentements)",
        "停止所有邮件并隐藏我的名字（撤回我的同意）"),
    "Done: you will get no more e-mails from campaigns, and your name is no longer shown.": (
        "تم: لن تصلك رسائل أخرى من الحملات، ولم يعد اسمك معروضًا.",
        "انجام شد: دیگر ایمیلی از کارزارها دریافت نمی‌کنید و نامتان دیگر نمایش داده نمی‌شود.",
        "Готово: писем от кампаний больше не будет, ваше имя больше не показывается.",
        "Hecho: no recibirás más correos de las campañas y tu nombre ya no se muestra.",
        "C'est fait : vous ne recevrez plus d'e-mails des campagnes, et votre nom n'est plus affiché.",
        "已完成：您将不再收到活动邮件，您的名字也不再显示。"),
    "Petitions for this person": (
        "عرائض من أجل هذا الشخص", "دادخواست‌هایی برای این شخص", "Петиции в поддержку этого человека",
        "Peticiones por esta persona", "Pétitions pour cette personne", "为此人发起的请愿"),
}


def _unquote(line: str) -> str:
    return str(ast.literal_eval(line))


def _entries(path: Path) -> list[tuple[list[str], str]]:
    """(comment lines, msgid) of every entry makemessages wrote, header excluded."""
    out: list[tuple[list[str], str]] = []
    comments: list[str] = []
    msgid: list[str] | None = None
    for raw in path.read_text(encoding="utf-8").splitlines() + [""]:
        line = raw.strip()
        if line.startswith("#"):
            comments.append(raw)
        elif line.startswith("msgid "):
            msgid = [_unquote(line[6:])]
        elif line.startswith('"') and msgid is not None:
            msgid.append(_unquote(line))
        elif line.startswith(("msgstr", "msgid_plural")):
            if msgid is not None:
                text = "".join(msgid)
                if text:
                    out.append((comments, text))
            msgid, comments = None, []
    return out


def _quote(text: str) -> str:
    escaped = text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")
    return f'"{escaped}"'


def write(language: str) -> int:
    path = HERE / language / "LC_MESSAGES" / "django.po"
    found = {msgid for _c, msgid in _entries(path)}
    index = LANGS.index(language)
    lines = [
        "# Public-facing translations of take-action (issue 7), generated by locale/generate.py.",
        "# The campaigners' workspace stays in English, like the registry's.",
        'msgid ""', 'msgstr ""',
        '"Project-Id-Version: unforgotten\\n"', '"MIME-Version: 1.0\\n"',
        '"Content-Type: text/plain; charset=UTF-8\\n"', '"Content-Transfer-Encoding: 8bit\\n"',
        f'"Language: {language}\\n"', f'"Plural-Forms: {PLURALS[language]}\\n"', "",
    ]
    written = 0
    for msgid, texts in T.items():
        if msgid not in found:
            raise SystemExit(f"{msgid!r} is not in the code any more; update generate.py")
        if "%(" in msgid:
            lines.append("#, python-format")
        lines += [f"msgid {_quote(msgid)}", f"msgstr {_quote(texts[index])}", ""]
        written += 1
    path.write_text("\n".join(lines), encoding="utf-8")
    return written


if __name__ == "__main__":
    for code in LANGS:
        print(code, write(code))  # noqa: T201  (a developer tool's report)
