"""Regenerates the public-facing translations of the letters app (issue 7 items 4, 5) into <lang>/LC_MESSAGES/django.po.

What a letter writer reads (the forms, the pages, the e-mails, the consent wording, the greeting and sign-off of
a letter to an official, the printed batch's title) is translated here, by hand; the moderators' and campaigners'
workspace stays in English, like the registry's and the petitions'. Strings the petitions already translate (the
e-mail address field, the honeypot's label, the expired-form message…) are taken from their catalogue, so both
apps say the same thing. Run from this folder after ``makemessages``:

    ../../../.venv/bin/unforgotten makemessages -l ar -l fa -l ru -l es -l fr -l zh_Hans --no-location
    ../../../.venv/bin/python generate.py
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

HERE = Path(__file__).resolve().parent
ACTIONS = HERE.parents[1] / "actions" / "locale"
LANGS = ("ar", "fa", "ru", "es", "fr", "zh_Hans")
PLURALS = {
    "ar": "nplurals=6; plural=n==0 ? 0 : n==1 ? 1 : n==2 ? 2 : n%100>=3 && n%100<=10 ? 3 : n%100>=11 && n%100<=99 ? 4 : 5;",
    "fa": "nplurals=2; plural=(n > 1);",
    "ru": "nplurals=3; plural=(n%10==1 && n%100!=11 ? 0 : n%10>=2 && n%10<=4 && (n%100<10 || n%100>=20) ? 1 : 2);",
    "es": "nplurals=2; plural=(n != 1);",
    "fr": "nplurals=2; plural=(n > 1);",
    "zh_Hans": "nplurals=1; plural=0;",
}

CHANGE_BODY = ("Thank you for your letter. Before we can print it for the prisoner's family to deliver, our team asks "
               "for a change:\n\n%(note)s\n\nOpen this link to revise your letter (it works for %(days)d days):\n\n"
               "%(link)s\n\nIf you did not write this letter, ignore this message.")
CONFIRM_BODY = ("Thank you for writing \"%(title)s\".\n\nYour letter is sent once you confirm it. Open this link and "
                "press the button on the page:\n\n%(link)s\n\nIf you did not write it, ignore this message: nothing "
                "will be sent, and the letter will be deleted after %(days)d days.")

T: dict[str, tuple[str, str, str, str, str, str]] = {
    # msgid: (ar, fa, ru, es, fr, zh_Hans)
    "Write a letter": ("اكتب رسالة", "نامه بنویسید", "Напишите письмо", "Escribe una carta", "Écrivez une lettre",
                       "写一封信"),
    ("Letters from strangers tell a prisoner and their jailers that they are not forgotten. Our team reads each "
     "letter before the family delivers it."): (
        "رسائل الغرباء تقول للسجين ولسجّانيه إنه ليس منسيًّا. يقرأ فريقنا كل رسالة قبل أن تسلّمها العائلة.",
        "نامه‌های ناآشنایان به زندانی و زندانبانانش می‌گوید که او فراموش نشده است. گروه ما هر نامه را پیش از آنکه "
        "خانواده آن را برساند می‌خواند.",
        "Письма от незнакомых людей говорят узнику и его тюремщикам, что о нём помнят. Наша команда читает каждое "
        "письмо, прежде чем семья его передаст.",
        "Las cartas de desconocidos dicen al preso y a sus carceleros que no está olvidado. Nuestro equipo lee cada "
        "carta antes de que la familia la entregue.",
        "Les lettres d'inconnus disent au prisonnier et à ses geôliers qu'il n'est pas oublié. Notre équipe lit "
        "chaque lettre avant que la famille ne la remette.",
        "陌生人的来信告诉被关押者和看守：他们没有被遗忘。每封信在家属转交之前都由我们的团队阅读。"),
    "Write a letter of support": ("اكتب رسالة تضامن", "نامهٔ همبستگی بنویسید", "Напишите письмо поддержки",
                                  "Escribe una carta de apoyo", "Écrivez une lettre de soutien", "写一封声援信"),
    "Write to %(name)s": ("اكتب إلى %(name)s", "به %(name)s بنویسید", "Написать: %(name)s", "Escribe a %(name)s",
                          "Écrire à %(name)s", "写信给 %(name)s"),
    ("Your letter is read by our team, then printed and handed over by the family or the lawyer. Prison censors "
     "read it too."): (
        "يقرأ فريقنا رسالتك، ثم تُطبع وتسلّمها العائلة أو المحامي. ويقرؤها رقباء السجن أيضًا.",
        "گروه ما نامهٔ شما را می‌خواند، سپس چاپ می‌شود و خانواده یا وکیل آن را می‌رساند. سانسورچیان زندان هم آن را "
        "می‌خوانند.",
        "Ваше письмо прочтёт наша команда, затем его распечатают и передадут семья или адвокат. Тюремные цензоры "
        "тоже его прочтут.",
        "Nuestro equipo lee tu carta; después se imprime y la entrega la familia o el abogado. Los censores de la "
        "prisión también la leen.",
        "Notre équipe lit votre lettre, puis elle est imprimée et remise par la famille ou l'avocat. Les censeurs "
        "de la prison la lisent aussi.",
        "您的信会先由我们的团队阅读，然后打印出来，由家属或律师转交。监狱审查人员也会阅读。"),
    "Write about hope, everyday life, books, music, the seasons: what keeps a person going.": (
        "اكتب عن الأمل والحياة اليومية والكتب والموسيقى والفصول: ما يُبقي الإنسان صامدًا.",
        "از امید، زندگی روزمره، کتاب، موسیقی و فصل‌ها بنویسید: از آنچه آدم را سرپا نگه می‌دارد.",
        "Пишите о надежде, повседневной жизни, книгах, музыке, временах года: о том, что помогает держаться.",
        "Escribe sobre la esperanza, la vida diaria, los libros, la música, las estaciones: lo que ayuda a seguir.",
        "Parlez d'espoir, de la vie de tous les jours, de livres, de musique, des saisons : de ce qui aide à tenir.",
        "写希望、日常生活、书籍、音乐、季节：写那些让人坚持下去的事。"),
    ("Do not write about the case, the charges, the prison, other prisoners or politics: it could be held against "
     "the prisoner, and the letter would not be delivered."): (
        "لا تكتب عن القضية أو التهم أو السجن أو سجناء آخرين أو السياسة: قد يُستخدم ذلك ضد السجين، ولن تُسلَّم الرسالة.",
        "دربارهٔ پرونده، اتهام‌ها، زندان، زندانیان دیگر یا سیاست ننویسید: ممکن است علیه زندانی به کار رود و نامه "
        "نرسد.",
        "Не пишите о деле, обвинениях, тюрьме, других заключённых или политике: это может обернуться против узника, "
        "и письмо не передадут.",
        "No escribas sobre el caso, los cargos, la prisión, otros presos o la política: podría volverse contra el "
        "preso y la carta no se entregaría.",
        "N'écrivez rien sur l'affaire, les accusations, la prison, d'autres détenus ou la politique : cela pourrait "
        "être retenu contre le prisonnier, et la lettre ne serait pas remise.",
        "请不要写案件、指控、监狱、其他被关押者或政治：这可能对被关押者不利，信件也不会被转交。"),
    "Your name and town are printed only if you give them. Leave them out if writing could put you at risk.": (
        "لا يُطبع اسمك ومدينتك إلا إذا كتبتهما. اتركهما فارغين إن كانت الكتابة قد تعرّضك للخطر.",
        "نام و شهر شما فقط اگر آن‌ها را بنویسید چاپ می‌شود. اگر نوشتن ممکن است شما را به خطر بیندازد، آن‌ها را "
        "ننویسید.",
        "Ваше имя и город печатаются, только если вы их укажете. Не указывайте их, если письмо может вам навредить.",
        "Tu nombre y tu ciudad solo se imprimen si los das. No los pongas si escribir puede ponerte en peligro.",
        "Votre nom et votre ville ne sont imprimés que si vous les indiquez. Ne les donnez pas si écrire peut vous "
        "mettre en danger.",
        "只有在您填写时，您的姓名和城市才会被打印。如果写信可能给您带来风险，请不要填写。"),
    "Send the letter": ("أرسل الرسالة", "نامه را بفرستید", "Отправить письмо", "Enviar la carta", "Envoyer la lettre",
                        "寄出这封信"),
    "Without JavaScript this works just the same.": (
        "يعمل هذا بالطريقة نفسها من دون جافاسكربت.", "بدون جاوااسکریپت هم همین‌طور کار می‌کند.",
        "Без JavaScript всё работает так же.", "Sin JavaScript funciona igual.",
        "Sans JavaScript, cela fonctionne de la même façon.", "不启用 JavaScript 也同样可用。"),
    "Back to the profile": ("العودة إلى الصفحة الشخصية", "بازگشت به صفحهٔ معرفی", "Вернуться к профилю",
                            "Volver al perfil", "Retour au profil", "返回个人页面"),
    "Thank you for your letter": ("شكرًا على رسالتك", "از نامهٔ شما سپاسگزاریم", "Спасибо за ваше письмо",
                                  "Gracias por tu carta", "Merci pour votre lettre", "感谢您的来信"),
    ("Your letter to %(name)s has been received. Our team reads it before it is printed for the family to "
     "deliver."): (
        "وصلتنا رسالتك إلى %(name)s. يقرؤها فريقنا قبل أن تُطبع لتسلّمها العائلة.",
        "نامهٔ شما به %(name)s رسید. گروه ما آن را پیش از چاپ برای رساندن به دست خانواده می‌خواند.",
        "Ваше письмо для адресата %(name)s получено. Наша команда прочтёт его, прежде чем его распечатают для "
        "передачи через семью.",
        "Hemos recibido tu carta para %(name)s. Nuestro equipo la lee antes de imprimirla para que la entregue la "
        "familia.",
        "Votre lettre à %(name)s a bien été reçue. Notre équipe la lit avant qu'elle soit imprimée pour que la "
        "famille la remette.",
        "您写给 %(name)s 的信已收到。在打印并由家属转交之前，我们的团队会先阅读。"),
    "Revise your letter": ("عدّل رسالتك", "نامهٔ خود را ویرایش کنید", "Исправьте письмо", "Revisa tu carta",
                           "Modifiez votre lettre", "修改您的信"),
    "Our team asks for this change:": ("يطلب فريقنا هذا التعديل:", "گروه ما این تغییر را می‌خواهد:",
                                       "Наша команда просит исправить:", "Nuestro equipo pide este cambio:",
                                       "Notre équipe demande cette modification :", "我们的团队请您作如下修改："),
    "Send the revised letter": ("أرسل الرسالة المعدّلة", "نامهٔ ویرایش‌شده را بفرستید", "Отправить исправленное письмо",
                                "Enviar la carta revisada", "Envoyer la lettre modifiée", "寄出修改后的信"),
    "Your revised letter is back with our team.": (
        "عادت رسالتك المعدّلة إلى فريقنا.", "نامهٔ ویرایش‌شدهٔ شما دوباره به دست گروه ما رسید.",
        "Исправленное письмо снова у нашей команды.", "Tu carta revisada ha vuelto a nuestro equipo.",
        "Votre lettre modifiée est de retour auprès de notre équipe.", "您修改后的信已交回我们的团队。"),
    "This link does not work": ("هذا الرابط لا يعمل", "این پیوند کار نمی‌کند", "Эта ссылка не работает",
                                "Este enlace no funciona", "Ce lien ne fonctionne pas", "此链接无效"),
    "It may have been used already, or it is too old. Nothing more is needed from you.": (
        "ربما استُخدم من قبل، أو أصبح قديمًا. لا حاجة لشيء آخر منك.",
        "شاید پیش‌تر به کار رفته یا کهنه شده باشد. کار دیگری از شما لازم نیست.",
        "Возможно, ею уже воспользовались или она устарела. Больше ничего от вас не требуется.",
        "Puede que ya se haya usado o que sea demasiado antiguo. No hace falta nada más.",
        "Il a peut-être déjà servi, ou il est trop ancien. Vous n'avez rien d'autre à faire.",
        "它可能已被使用，或已过期。您无需再做任何事。"),
    "Your letter": ("رسالتك", "نامهٔ شما", "Ваше письмо", "Tu carta", "Votre lettre", "您的信"),
    "Send my letter": ("أرسل رسالتي", "نامه‌ام را بفرستید", "Отправить моё письмо", "Enviar mi carta",
                       "Envoyer ma lettre", "寄出我的信"),
    ("We will e-mail you a link; your letter is sent once you confirm it. Without JavaScript this works just the "
     "same."): (
        "سنرسل إليك رابطًا بالبريد الإلكتروني؛ تُرسل رسالتك بعد أن تؤكّدها. يعمل هذا بالطريقة نفسها من دون جافاسكربت.",
        "پیوندی برایتان ایمیل می‌کنیم؛ نامهٔ شما پس از تأیید فرستاده می‌شود. بدون جاوااسکریپت هم همین‌طور کار "
        "می‌کند.",
        "Мы пришлём вам ссылку по почте; письмо уйдёт, когда вы его подтвердите. Без JavaScript всё работает так же.",
        "Te enviaremos un enlace por correo; tu carta se envía cuando la confirmes. Sin JavaScript funciona igual.",
        "Nous vous enverrons un lien par e-mail ; votre lettre part dès que vous la confirmez. Sans JavaScript, "
        "cela fonctionne de la même façon.",
        "我们会通过电子邮件给您发送一个链接；您确认后信件才会寄出。不启用 JavaScript 也同样可用。"),
    "This letter campaign is closed.": ("حملة الرسائل هذه مغلقة.", "این کارزار نامه‌نویسی بسته شده است.",
                                        "Эта кампания писем закрыта.", "Esta campaña de cartas está cerrada.",
                                        "Cette campagne de lettres est close.", "此写信活动已结束。"),
    ("Thank you. We have sent a message to the address you gave. Open the link in it and press the button to send "
     "your letter “%(title)s”."): (
        "شكرًا. أرسلنا رسالة إلى العنوان الذي أعطيته. افتح الرابط فيها واضغط على الزر لإرسال رسالتك «%(title)s».",
        "سپاس. پیامی به نشانی‌ای که دادید فرستادیم. پیوند آن را باز کنید و دکمه را بزنید تا نامهٔ «%(title)s» "
        "فرستاده شود.",
        "Спасибо. Мы отправили письмо на указанный адрес. Откройте ссылку в нём и нажмите кнопку, чтобы отправить "
        "ваше письмо «%(title)s».",
        "Gracias. Hemos enviado un mensaje a la dirección que diste. Abre el enlace y pulsa el botón para enviar tu "
        "carta «%(title)s».",
        "Merci. Nous avons envoyé un message à l'adresse indiquée. Ouvrez le lien qu'il contient et appuyez sur le "
        "bouton pour envoyer votre lettre « %(title)s ».",
        "谢谢。我们已向您提供的地址发送了一封邮件。请打开其中的链接并按下按钮，寄出您的信“%(title)s”。"),
    "Back to the campaign": ("العودة إلى الحملة", "بازگشت به کارزار", "Вернуться к кампании", "Volver a la campaña",
                             "Retour à la campagne", "返回活动"),
    "Send your letter": ("أرسل رسالتك", "نامهٔ خود را بفرستید", "Отправьте письмо", "Envía tu carta",
                         "Envoyez votre lettre", "寄出您的信"),
    "Your letter is on its way": ("رسالتك في طريقها", "نامهٔ شما در راه است", "Ваше письмо в пути",
                                  "Tu carta está en camino", "Votre lettre est en route", "您的信已在路上"),
    "Thank you. Your letter goes to every person this campaign writes to.": (
        "شكرًا. تصل رسالتك إلى كل من تكتب إليهم هذه الحملة.",
        "سپاس. نامهٔ شما به همهٔ کسانی که این کارزار به آنان می‌نویسد می‌رسد.",
        "Спасибо. Ваше письмо получат все, кому пишет эта кампания.",
        "Gracias. Tu carta llega a todas las personas a las que escribe esta campaña.",
        "Merci. Votre lettre part à chacune des personnes auxquelles cette campagne écrit.",
        "谢谢。您的信将寄给本活动写信的每一位对象。"),
    ("Any language. Up to 5,000 characters. Write about hope and the outside world; nothing about the case, the "
     "prison or other prisoners."): (
        "بأي لغة. حتى 5000 حرف. اكتب عن الأمل والعالم في الخارج؛ لا شيء عن القضية أو السجن أو سجناء آخرين.",
        "به هر زبانی. حداکثر ۵۰۰۰ نویسه. از امید و دنیای بیرون بنویسید؛ چیزی دربارهٔ پرونده، زندان یا زندانیان "
        "دیگر ننویسید.",
        "На любом языке. До 5000 знаков. Пишите о надежде и о мире за стенами; ничего о деле, тюрьме или других "
        "заключённых.",
        "En cualquier idioma. Hasta 5000 caracteres. Escribe sobre la esperanza y el mundo de fuera; nada sobre el "
        "caso, la prisión u otros presos.",
        "Dans toute langue. Jusqu'à 5 000 caractères. Parlez d'espoir et du monde extérieur ; rien sur l'affaire, "
        "la prison ou d'autres détenus.",
        "任何语言均可。最多 5000 个字符。写希望和外面的世界；不要写案件、监狱或其他被关押者。"),
    "Your name, printed on the letter (optional)": (
        "اسمك، يُطبع على الرسالة (اختياري)", "نام شما، روی نامه چاپ می‌شود (اختیاری)",
        "Ваше имя, оно будет напечатано в письме (необязательно)", "Tu nombre, impreso en la carta (opcional)",
        "Votre nom, imprimé sur la lettre (facultatif)", "您的姓名，将打印在信上（可选）"),
    "Your town or address, printed on the letter (optional)": (
        "مدينتك أو عنوانك، يُطبع على الرسالة (اختياري)", "شهر یا نشانی شما، روی نامه چاپ می‌شود (اختیاری)",
        "Ваш город или адрес, они будут напечатаны в письме (необязательно)",
        "Tu ciudad o dirección, impresa en la carta (opcional)", "Votre ville ou adresse, imprimée sur la lettre "
        "(facultatif)", "您的城市或地址，将打印在信上（可选）"),
    "Your e-mail address, if we may ask you to change the letter (optional)": (
        "بريدك الإلكتروني، إن سمحت لنا بأن نطلب منك تعديل الرسالة (اختياري)",
        "نشانی ایمیل شما، اگر اجازه می‌دهید برای ویرایش نامه با شما تماس بگیریم (اختیاری)",
        "Ваш адрес электронной почты, если мы можем попросить вас исправить письмо (необязательно)",
        "Tu correo electrónico, por si necesitamos pedirte un cambio en la carta (opcional)",
        "Votre adresse e-mail, si nous pouvons vous demander de modifier la lettre (facultatif)",
        "您的电子邮件地址，以便我们请您修改信件（可选）"),
    "Never printed, never given to anyone.": (
        "لا يُطبع أبدًا، ولا يُعطى لأحد.", "هرگز چاپ نمی‌شود و به کسی داده نمی‌شود.",
        "Никогда не печатается и никому не передаётся.", "Nunca se imprime ni se da a nadie.",
        "Jamais imprimée, jamais transmise à qui que ce soit.", "绝不打印，也绝不提供给任何人。"),
    "Edit it as you like. The greeting and your signature are added for each person it goes to.": (
        "عدّلها كما تشاء. تُضاف التحية وتوقيعك لكل من تُرسل إليه.",
        "هر طور می‌خواهید ویرایشش کنید. خطاب و امضای شما برای هر گیرنده افزوده می‌شود.",
        "Измените его, как хотите. Обращение и ваша подпись добавляются для каждого адресата.",
        "Edítala como quieras. El saludo y tu firma se añaden para cada destinatario.",
        "Modifiez-la à votre guise. La formule d'appel et votre signature sont ajoutées pour chaque destinataire.",
        "您可以随意修改。问候语和您的署名会针对每位收信人自动添加。"),
    "Your name, to sign the letter": ("اسمك، لتوقيع الرسالة", "نام شما، برای امضای نامه",
                                      "Ваше имя для подписи письма", "Tu nombre, para firmar la carta",
                                      "Votre nom, pour signer la lettre", "您的姓名，用于信件署名"),
    "Your town and country (optional)": ("مدينتك وبلدك (اختياري)", "شهر و کشور شما (اختیاری)",
                                         "Ваш город и страна (необязательно)", "Tu ciudad y país (opcional)",
                                         "Votre ville et votre pays (facultatif)", "您的城市和国家（可选）"),
    "Only to confirm your letter. Never shown, never given to the people you write to.": (
        "فقط لتأكيد رسالتك. لا يُعرض أبدًا، ولا يُعطى لمن تكتب إليهم.",
        "فقط برای تأیید نامهٔ شما. هرگز نمایش داده نمی‌شود و به کسانی که به آنان می‌نویسید داده نمی‌شود.",
        "Только для подтверждения письма. Никогда не показывается и не передаётся адресатам.",
        "Solo para confirmar tu carta. Nunca se muestra ni se da a las personas a las que escribes.",
        "Uniquement pour confirmer votre lettre. Jamais affichée, jamais transmise aux destinataires.",
        "仅用于确认您的信件。绝不公开，也绝不提供给收信人。"),
    ("Send this letter in my name to the people this campaign writes to. My e-mail address is used only to confirm "
     "it and is never given to them."): (
        "أرسلوا هذه الرسالة باسمي إلى من تكتب إليهم هذه الحملة. يُستخدم بريدي الإلكتروني فقط لتأكيدها ولا يُعطى لهم "
        "أبدًا.",
        "این نامه را به نام من برای کسانی که این کارزار به آنان می‌نویسد بفرستید. نشانی ایمیل من فقط برای تأیید به "
        "کار می‌رود و هرگز به آنان داده نمی‌شود.",
        "Отправьте это письмо от моего имени адресатам кампании. Мой адрес электронной почты используется только "
        "для подтверждения и никогда им не передаётся.",
        "Enviad esta carta en mi nombre a las personas a las que escribe esta campaña. Mi correo solo se usa para "
        "confirmarla y nunca se les da.",
        "Envoyer cette lettre en mon nom aux personnes auxquelles cette campagne écrit. Mon adresse e-mail ne sert "
        "qu'à la confirmer et ne leur est jamais transmise.",
        "以我的名义将这封信寄给本活动的收信人。我的电子邮件地址仅用于确认，绝不会提供给他们。"),
    "Write your letter.": ("اكتب رسالتك.", "نامهٔ خود را بنویسید.", "Напишите письмо.", "Escribe tu carta.",
                           "Écrivez votre lettre.", "请写下您的信。"),
    "Sign your letter with your name.": ("وقّع رسالتك باسمك.", "نامه را با نام خود امضا کنید.",
                                         "Подпишите письмо своим именем.", "Firma tu carta con tu nombre.",
                                         "Signez votre lettre de votre nom.", "请用您的姓名为信件署名。"),
    "This prisoner does not receive letters through this site.": (
        "لا يتلقى هذا السجين رسائل عبر هذا الموقع.", "این زندانی از راه این تارنما نامه دریافت نمی‌کند.",
        "Этот узник не получает письма через этот сайт.", "Este preso no recibe cartas a través de este sitio.",
        "Ce prisonnier ne reçoit pas de lettres par ce site.", "此被关押者不通过本网站接收信件。"),
    "Your letter needs a change before we can deliver it": (
        "تحتاج رسالتك إلى تعديل قبل أن نتمكن من تسليمها", "نامهٔ شما پیش از رساندن به یک تغییر نیاز دارد",
        "Письмо нужно исправить, прежде чем мы сможем его передать",
        "Tu carta necesita un cambio antes de que podamos entregarla",
        "Votre lettre doit être modifiée avant que nous puissions la remettre", "您的信需要修改后才能转交"),
    CHANGE_BODY: (
        "شكرًا على رسالتك. قبل أن نطبعها لتسلّمها عائلة السجين، يطلب فريقنا تعديلًا:\n\n%(note)s\n\nافتح هذا الرابط "
        "لتعديل رسالتك (يعمل مدة %(days)d يومًا):\n\n%(link)s\n\nإن لم تكتب هذه الرسالة، فتجاهل هذا البريد.",
        "از نامهٔ شما سپاسگزاریم. پیش از آنکه آن را برای رساندن به دست خانوادهٔ زندانی چاپ کنیم، گروه ما تغییری "
        "می‌خواهد:\n\n%(note)s\n\nبرای ویرایش نامه این پیوند را باز کنید (تا %(days)d روز کار می‌کند):\n\n%(link)s"
        "\n\nاگر این نامه را ننوشته‌اید، این پیام را نادیده بگیرید.",
        "Спасибо за письмо. Прежде чем распечатать его для передачи через семью узника, наша команда просит "
        "исправить:\n\n%(note)s\n\nОткройте эту ссылку, чтобы исправить письмо (она действует %(days)d дн.):\n\n"
        "%(link)s\n\nЕсли вы не писали это письмо, просто не обращайте внимания на это сообщение.",
        "Gracias por tu carta. Antes de imprimirla para que la entregue la familia del preso, nuestro equipo pide "
        "un cambio:\n\n%(note)s\n\nAbre este enlace para revisar tu carta (funciona durante %(days)d días):\n\n"
        "%(link)s\n\nSi no escribiste esta carta, ignora este mensaje.",
        "Merci pour votre lettre. Avant de l'imprimer pour que la famille du prisonnier la remette, notre équipe "
        "demande une modification :\n\n%(note)s\n\nOuvrez ce lien pour modifier votre lettre (il fonctionne "
        "%(days)d jours) :\n\n%(link)s\n\nSi vous n'avez pas écrit cette lettre, ignorez ce message.",
        "感谢您的来信。在打印并由被关押者家属转交之前，我们的团队请您作如下修改：\n\n%(note)s\n\n请打开此链接修改您的信"
        "（%(days)d 天内有效）：\n\n%(link)s\n\n如果这封信不是您写的，请忽略此邮件。"),
    "Please confirm your letter: %(title)s": (
        "يرجى تأكيد رسالتك: %(title)s", "لطفاً نامهٔ خود را تأیید کنید: %(title)s",
        "Подтвердите, пожалуйста, письмо: %(title)s", "Confirma tu carta: %(title)s",
        "Merci de confirmer votre lettre : %(title)s", "请确认您的信：%(title)s"),
    CONFIRM_BODY: (
        "شكرًا على كتابتك «%(title)s».\n\nتُرسل رسالتك بعد أن تؤكّدها. افتح هذا الرابط واضغط على الزر في الصفحة:"
        "\n\n%(link)s\n\nإن لم تكتبها، فتجاهل هذا البريد: لن يُرسل شيء، وستُحذف الرسالة بعد %(days)d يومًا.",
        "از نوشتن «%(title)s» سپاسگزاریم.\n\nنامهٔ شما پس از تأیید فرستاده می‌شود. این پیوند را باز کنید و دکمهٔ "
        "صفحه را بزنید:\n\n%(link)s\n\nاگر آن را ننوشته‌اید، این پیام را نادیده بگیرید: چیزی فرستاده نمی‌شود و نامه "
        "پس از %(days)d روز پاک می‌شود.",
        "Спасибо, что написали «%(title)s».\n\nПисьмо уйдёт, когда вы его подтвердите. Откройте ссылку и нажмите "
        "кнопку на странице:\n\n%(link)s\n\nЕсли вы его не писали, не обращайте внимания на это сообщение: ничего "
        "не будет отправлено, а письмо удалится через %(days)d дн.",
        "Gracias por escribir «%(title)s».\n\nTu carta se envía cuando la confirmes. Abre este enlace y pulsa el "
        "botón de la página:\n\n%(link)s\n\nSi no la escribiste, ignora este mensaje: no se enviará nada y la carta "
        "se borrará en %(days)d días.",
        "Merci d'avoir écrit « %(title)s ».\n\nVotre lettre part dès que vous la confirmez. Ouvrez ce lien et "
        "appuyez sur le bouton de la page :\n\n%(link)s\n\nSi vous ne l'avez pas écrite, ignorez ce message : rien "
        "ne sera envoyé, et la lettre sera effacée après %(days)d jours.",
        "感谢您写下“%(title)s”。\n\n您确认后信件才会寄出。请打开此链接并按下页面上的按钮：\n\n%(link)s\n\n"
        "如果这不是您写的，请忽略此邮件：不会寄出任何内容，信件将在 %(days)d 天后删除。"),
    "Dear %(title)s %(name)s,": ("%(title)s %(name)s المحترم،", "%(title)s گرامی، %(name)s،",
                                 "Уважаемый(ая) %(title)s %(name)s!", "Estimado/a %(title)s %(name)s:",
                                 "À l’attention de %(title)s %(name)s,", "尊敬的%(title)s%(name)s："),
    "Dear %(name)s,": ("%(name)s المحترم،", "%(name)s گرامی،", "Уважаемый(ая) %(name)s!", "Estimado/a %(name)s:",
                       "À l’attention de %(name)s,", "尊敬的%(name)s："),
    "Yours sincerely,": ("مع خالص التحية،", "با احترام،", "С уважением,", "Atentamente,",
                         "Veuillez agréer l'expression de ma haute considération,", "此致敬礼"),
    "Letters of support": ("رسائل تضامن", "نامه‌های همبستگی", "Письма поддержки", "Cartas de apoyo",
                           "Lettres de soutien", "声援信"),
}

ENTRY = re.compile(r'^msgid ((?:"(?:[^"\\]|\\.)*"\n)+)msgstr ((?:"(?:[^"\\]|\\.)*"\n?)+)', re.M)


def _unquote(block: str) -> str:
    return "".join(ast.literal_eval(line) for line in block.strip().splitlines())


def _quote(text: str) -> str:
    if "\n" not in text[:-1] and len(text) < 70:
        return '"' + text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n") + '"'
    parts = re.split(r"(?<=\n)", text)
    return '""\n' + "\n".join('"' + p.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n") + '"'
                               for p in parts if p)


def _actions_catalogue(lang: str) -> dict[str, str]:
    path = ACTIONS / lang / "LC_MESSAGES" / "django.po"
    return {_unquote(m): _unquote(s) for m, s in ENTRY.findall(path.read_text(encoding="utf-8"))
            if _unquote(s)}


def fill(lang: str) -> None:
    path = HERE / lang / "LC_MESSAGES" / "django.po"
    text = path.read_text(encoding="utf-8")
    index = LANGS.index(lang)
    shared = _actions_catalogue(lang)

    def replace(match: re.Match[str]) -> str:
        msgid = _unquote(match.group(1))
        if not msgid:
            return match.group(0)
        found = T[msgid][index] if msgid in T else shared.get(msgid, "")
        return f"msgid {match.group(1)}msgstr {_quote(found)}\n"

    text = ENTRY.sub(replace, text)
    # The last header field, which makemessages may have wrapped over several lines: replaced whole.
    text = re.sub(r'"Plural-Forms: [^\n]*\n(?:"[^\n]*\n)*', lambda _m: f'"Plural-Forms: {PLURALS[lang]}\\n"\n\n', text,
                  count=1)
    text = text.replace('"Language: \\n"', f'"Language: {lang}\\n"').replace("#, fuzzy\n", "", 1)
    path.write_text(text, encoding="utf-8")


if __name__ == "__main__":
    for language in LANGS:
        fill(language)
