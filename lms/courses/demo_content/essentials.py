"""AI+ Essentials (English and Arabic): what AI is, using it well, using it responsibly."""

COURSE = {
    "track": "ESS",
    "code": "AIP-ESS-101",
    "slug": "ai-plus-essentials-working-with-ai",
    "primary": "en",
    "languages": ["en", "ar"],
    "video": "intro-ess.webm",
    "level": "foundation",
    "duration_hours": 8,
    "access_days": 180,
    "modes": ["elearning", "instructor_led"],
    # currency: (list, academic, association) in minor units
    "prices": {"USD": (29900, 17900, 23900), "EUR": (27900, 16900, 22300), "AED": (109900, 65900, 87900)},
    "titles": {
        "en": "AI+ Essentials: Working Safely and Effectively with AI",
        "ar": "أساسيات الذكاء الاصطناعي: العمل بأمان وفاعلية مع الذكاء الاصطناعي",
    },
    "descriptions": {
        "en": "A practical foundation for everyone at work: how today's AI systems produce their answers, how to "
        "ask for what you need, how to check what you get, and how to protect people and data while you do it.",
        "ar": "أساس عملي لكل من يعمل: كيف تنتج أنظمة الذكاء الاصطناعي الحالية إجاباتها، وكيف تطلب ما تحتاجه، "
        "وكيف تتحقق مما تحصل عليه، وكيف تحمي الناس والبيانات أثناء ذلك.",
    },
    "modules": [
        {
            "titles": {"en": "What AI is — and what it is not", "ar": "ما هو الذكاء الاصطناعي وما ليس هو"},
            "summaries": {
                "en": "How language models work, the main kinds of AI and where their limits come from.",
                "ar": "كيف تعمل النماذج اللغوية، والأنواع الرئيسية للذكاء الاصطناعي، ومن أين تأتي حدودها.",
            },
            "lessons": [
                {
                    "kind": "video",
                    "minutes": 9,
                    "titles": {
                        "en": "How a large language model produces an answer",
                        "ar": "كيف ينتج النموذج اللغوي الكبير إجابته",
                    },
                    "transcripts": {
                        "en": """A large language model, or LLM, is a program trained on a very large collection of text. During training it learns one skill: given the text so far, predict the most likely next piece of text. Those pieces are called tokens; a token is a word or part of a word.

When you type a question, the model does not look the answer up in a database. It generates a reply one token at a time, each time choosing a likely continuation of everything written so far. This is why the same question can produce slightly different answers.

Because the model predicts plausible text rather than retrieving verified facts, it can produce an answer that sounds confident and is simply wrong. This is called a hallucination. Hallucinations are most common for exact figures, quotations, references and recent events.

A model also has a knowledge cutoff: it knows nothing about events after the data it was trained on, unless a tool gives it current documents. Treat every answer as a draft from a fast, well-read assistant that has never checked its facts.""",
                        "ar": """النموذج اللغوي الكبير برنامج دُرِّب على مجموعة ضخمة جدًا من النصوص. يتعلم أثناء التدريب مهارة واحدة: بالنظر إلى النص حتى الآن، يتنبأ بالجزء التالي الأكثر احتمالًا من النص. تُسمّى هذه الأجزاء رموزًا، والرمز كلمة أو جزء من كلمة.

عندما تكتب سؤالًا، لا يبحث النموذج عن الإجابة في قاعدة بيانات. بل يولّد الرد رمزًا تلو الآخر، ويختار في كل مرة تكملة محتملة لكل ما كُتب حتى الآن. لهذا قد يعطي السؤال نفسه إجابات مختلفة قليلًا.

ولأن النموذج يتنبأ بنص معقول بدلًا من استرجاع حقائق موثّقة، فقد يقدّم إجابة تبدو واثقة وهي خاطئة ببساطة. يُسمّى ذلك الهلوسة. وتكثر الهلوسة في الأرقام الدقيقة والاقتباسات والمراجع والأحداث الحديثة.

وللنموذج أيضًا تاريخ توقف للمعرفة: فهو لا يعرف شيئًا عن الأحداث التي تلت البيانات التي دُرِّب عليها، إلا إذا زوّدته أداة بوثائق حديثة. تعامل مع كل إجابة على أنها مسودة من مساعد سريع واسع الاطلاع لم يتحقق قط من معلوماته.""",
                    },
                },
                {
                    "kind": "ebook",
                    "minutes": 15,
                    "titles": {
                        "en": "Kinds of AI you meet at work",
                        "ar": "أنواع الذكاء الاصطناعي التي تصادفها في العمل",
                    },
                    "bodies": {
                        "en": """<h2>Rules written by people</h2>
<p>The oldest kind of automation follows rules that people wrote: if an invoice is above a limit, send it for approval. Rule-based systems are predictable and easy to audit, but they only handle the situations their authors foresaw.</p>
<h2>Machine learning: rules learned from examples</h2>
<p>Machine learning systems learn patterns from examples instead of being given rules. In <strong>supervised learning</strong> the examples are labelled: thousands of emails marked “spam” or “not spam” teach a filter to sort new emails. The system is only as good as its examples: if the data is old, incomplete or unrepresentative, its predictions will be too.</p>
<p>Typical uses at work are forecasting demand, scoring the risk of a transaction, recognising objects in images and routing customer requests.</p>
<h2>Generative AI: systems that create content</h2>
<p>Generative AI produces new text, images, audio or code. Large language models are the best-known example. They are flexible — one model can summarise, translate, draft and explain — but they do not know whether what they write is true.</p>
<h2>Where the limits come from</h2>
<ul>
<li><strong>Data:</strong> a model reflects the data it learned from, including its gaps and biases.</li>
<li><strong>Context:</strong> a model only knows what it was trained on and what you give it in the conversation.</li>
<li><strong>Accountability:</strong> a model cannot be responsible for a decision; the person or organisation using it is.</li>
</ul>
<p>Choosing the right kind of AI starts with the task: use rules when the logic is known and must be exact, machine learning when patterns must be found in data, and generative AI when a draft that a person will check saves time.</p>""",
                        "ar": """<h2>قواعد يكتبها البشر</h2>
<p>أقدم أنواع الأتمتة يتبع قواعد كتبها أشخاص: إذا تجاوزت الفاتورة حدًا معينًا، أُرسلت للموافقة. الأنظمة القائمة على القواعد متوقعة وسهلة التدقيق، لكنها لا تتعامل إلا مع المواقف التي توقعها من كتبها.</p>
<h2>تعلم الآلة: قواعد تُتعلَّم من الأمثلة</h2>
<p>تتعلم أنظمة تعلم الآلة الأنماط من الأمثلة بدلًا من أن تُعطى قواعد. في <strong>التعلم المُوجَّه</strong> تكون الأمثلة مصنّفة: آلاف الرسائل المصنّفة «مزعجة» أو «غير مزعجة» تعلّم مرشحًا كيف يفرز الرسائل الجديدة. ولا يكون النظام أفضل من أمثلته: إذا كانت البيانات قديمة أو ناقصة أو غير ممثِّلة، فستكون تنبؤاته كذلك.</p>
<p>من الاستخدامات الشائعة في العمل: التنبؤ بالطلب، وتقدير مخاطر معاملة مالية، والتعرف على الأشياء في الصور، وتوجيه طلبات العملاء.</p>
<h2>الذكاء الاصطناعي التوليدي: أنظمة تُنشئ المحتوى</h2>
<p>ينتج الذكاء الاصطناعي التوليدي نصوصًا أو صورًا أو أصواتًا أو شيفرات جديدة. والنماذج اللغوية الكبيرة أشهر أمثلته. وهي مرنة، إذ يمكن لنموذج واحد أن يلخّص ويترجم ويصوغ ويشرح، لكنها لا تعرف إن كان ما تكتبه صحيحًا.</p>
<h2>من أين تأتي الحدود</h2>
<ul>
<li><strong>البيانات:</strong> يعكس النموذج البيانات التي تعلّم منها، بما فيها من ثغرات وتحيزات.</li>
<li><strong>السياق:</strong> لا يعرف النموذج إلا ما دُرِّب عليه وما تقدّمه له في المحادثة.</li>
<li><strong>المساءلة:</strong> لا يمكن للنموذج أن يكون مسؤولًا عن قرار؛ المسؤول هو الشخص أو الجهة التي تستخدمه.</li>
</ul>
<p>يبدأ اختيار النوع المناسب من المهمة نفسها: استخدم القواعد حين يكون المنطق معروفًا ويجب أن يكون دقيقًا، وتعلم الآلة حين يجب اكتشاف أنماط في البيانات، والذكاء الاصطناعي التوليدي حين توفّر مسودة سيراجعها إنسان وقتًا.</p>""",
                    },
                },
            ],
        },
        {
            "titles": {"en": "Using AI well", "ar": "استخدام الذكاء الاصطناعي بإتقان"},
            "summaries": {
                "en": "Asking clearly, checking carefully, keeping a person in charge.",
                "ar": "اطلب بوضوح، وتحقق بعناية، وأبقِ الإنسان صاحب القرار.",
            },
            "lessons": [
                {
                    "kind": "podcast",
                    "minutes": 12,
                    "titles": {"en": "Writing prompts that work", "ar": "كتابة تعليمات فعّالة"},
                    "transcripts": {
                        "en": """Welcome to the Essentials podcast. Today: prompts, the instructions you give an AI assistant. A good prompt works like a good brief to a new colleague.

Start with the task and the goal. "Summarise this report" is a task; "Summarise this report in five bullet points for a manager who has two minutes" adds the goal and the reader.

Give the context the model cannot know: who the audience is, what has already been decided, which document to rely on. Paste the relevant text instead of assuming the model has seen it.

Say what format you want: a table, a list, an email of at most 150 words, a tone that is formal or friendly. If you have a good example of the output, show it; one example often works better than a paragraph of description.

Then iterate. Read the first answer, say what to change, and ask again. Finally, never skip the check: a well-written prompt makes a better draft, not a verified one.""",
                        "ar": """مرحبًا بكم في بودكاست الأساسيات. موضوعنا اليوم التعليمات التي تعطيها لمساعد الذكاء الاصطناعي. التعليمة الجيدة تشبه تكليفًا واضحًا لزميل جديد.

ابدأ بالمهمة والهدف. «لخّص هذا التقرير» مهمة؛ أما «لخّص هذا التقرير في خمس نقاط لمدير لديه دقيقتان» فتضيف الهدف والقارئ.

قدّم السياق الذي لا يستطيع النموذج معرفته: من هو الجمهور، وما الذي تقرر سابقًا، وأي وثيقة يجب الاعتماد عليها. الصق النص المعني بدلًا من افتراض أن النموذج اطلع عليه.

حدّد الشكل الذي تريده: جدول، أو قائمة، أو رسالة لا تتجاوز 150 كلمة، أو نبرة رسمية أو ودية. وإن كان لديك مثال جيد على النتيجة فاعرضه؛ فمثال واحد كثيرًا ما يفيد أكثر من فقرة وصف.

ثم كرّر المحاولة. اقرأ الإجابة الأولى، وقل ما يجب تغييره، واطلب من جديد. وأخيرًا لا تتخطَّ التحقق أبدًا: التعليمة المكتوبة جيدًا تعطي مسودة أفضل، لا مسودة مُتحقَّقًا منها.""",
                    },
                },
                {
                    "kind": "ebook",
                    "minutes": 15,
                    "titles": {"en": "Checking AI output", "ar": "التحقق من مخرجات الذكاء الاصطناعي"},
                    "bodies": {
                        "en": """<h2>Why checking is your job</h2>
<p>An AI assistant writes fluent text whether or not it is correct. Fluency is not evidence. Whoever sends, publishes or acts on the output is responsible for it, so the check belongs to you.</p>
<h2>What to check first</h2>
<ul>
<li><strong>Facts and figures:</strong> compare every number, date and name with a source you trust.</li>
<li><strong>References:</strong> open every link and citation. Models sometimes invent sources that look real.</li>
<li><strong>Calculations:</strong> recompute totals and percentages; language models are not calculators.</li>
<li><strong>Missing information:</strong> ask what the answer leaves out, not only whether what it says is right.</li>
</ul>
<h2>Bias and tone</h2>
<p>Output can repeat stereotypes from the training data, for example in job descriptions or performance feedback. Read it as the person it is about would read it, and remove anything unfair or unnecessary.</p>
<h2>Keep a human in the loop</h2>
<p>For decisions that affect people — hiring, credit, health, discipline — AI may help prepare information, but a qualified person must review it and make the decision. Record what the AI contributed so others can understand how a result was reached.</p>""",
                        "ar": """<h2>لماذا التحقق مسؤوليتك</h2>
<p>يكتب مساعد الذكاء الاصطناعي نصًا سلسًا سواء كان صحيحًا أم لا. والسلاسة ليست دليلًا. من يرسل المخرجات أو ينشرها أو يتصرف بناءً عليها هو المسؤول عنها، لذلك فالتحقق مهمتك أنت.</p>
<h2>ما الذي تتحقق منه أولًا</h2>
<ul>
<li><strong>الحقائق والأرقام:</strong> قارن كل رقم وتاريخ واسم بمصدر تثق به.</li>
<li><strong>المراجع:</strong> افتح كل رابط واقتباس. فالنماذج تخترع أحيانًا مصادر تبدو حقيقية.</li>
<li><strong>الحسابات:</strong> أعد حساب المجاميع والنسب المئوية؛ فالنماذج اللغوية ليست آلات حاسبة.</li>
<li><strong>المعلومات الناقصة:</strong> اسأل عمّا تُغفله الإجابة، لا عن صحة ما تقوله فقط.</li>
</ul>
<h2>التحيز والنبرة</h2>
<p>قد تكرر المخرجات صورًا نمطية موجودة في بيانات التدريب، مثلًا في الأوصاف الوظيفية أو تقييمات الأداء. اقرأها كما سيقرؤها الشخص المعني، واحذف كل ما هو غير منصف أو غير ضروري.</p>
<h2>أبقِ الإنسان في الحلقة</h2>
<p>في القرارات التي تمس الناس، كالتوظيف والائتمان والصحة والتأديب، يمكن للذكاء الاصطناعي أن يساعد في إعداد المعلومات، لكن يجب أن يراجعها شخص مؤهل ويتخذ هو القرار. وسجّل ما أسهم به الذكاء الاصطناعي حتى يفهم الآخرون كيف تم التوصل إلى النتيجة.</p>""",
                    },
                },
                {
                    "kind": "quiz",
                    "minutes": 8,
                    "titles": {"en": "Check your understanding", "ar": "اختبر فهمك"},
                    "bodies": {
                        "en": "<p>Four questions on how language models work and how to use them well.</p>",
                        "ar": "<p>أربعة أسئلة عن طريقة عمل النماذج اللغوية وكيفية استخدامها بإتقان.</p>",
                    },
                    "questions": [
                        {
                            "type": "single_choice",
                            "stem": {
                                "en": "How does a large language model produce its answer?",
                                "ar": "كيف ينتج النموذج اللغوي الكبير إجابته؟",
                            },
                            "options": [
                                {
                                    "en": "It looks the answer up in a database of facts",
                                    "ar": "يبحث عن الإجابة في قاعدة بيانات للحقائق",
                                },
                                {
                                    "en": "It predicts likely text one token at a time",
                                    "ar": "يتنبأ بنص محتمل رمزًا تلو الآخر",
                                },
                                {"en": "It copies the most similar web page", "ar": "ينسخ صفحة الويب الأكثر تشابهًا"},
                            ],
                            "answer": "b",
                            "explanations": {
                                "en": "An LLM generates text token by token; it does not retrieve verified facts.",
                                "ar": "يولّد النموذج النص رمزًا تلو الآخر، ولا يسترجع حقائق موثّقة.",
                            },
                        },
                        {
                            "type": "true_false",
                            "stem": {
                                "en": "A confident, well-written answer from an AI assistant can still be false.",
                                "ar": "قد تكون الإجابة الواثقة المكتوبة جيدًا من مساعد الذكاء الاصطناعي خاطئة رغم ذلك.",
                            },
                            "answer": "true",
                            "explanations": {
                                "en": "That is a hallucination: fluency is not evidence.",
                                "ar": "هذه هي الهلوسة: السلاسة ليست دليلًا.",
                            },
                        },
                        {
                            "type": "multiple_response",
                            "stem": {
                                "en": "Which of these should you check in AI output before using it?",
                                "ar": "أيٌّ مما يلي يجب أن تتحقق منه في مخرجات الذكاء الاصطناعي قبل استخدامها؟",
                            },
                            "options": [
                                {"en": "Numbers and dates", "ar": "الأرقام والتواريخ"},
                                {"en": "Links and references", "ar": "الروابط والمراجع"},
                                {"en": "Nothing, if the prompt was good", "ar": "لا شيء إذا كانت التعليمة جيدة"},
                                {"en": "What the answer leaves out", "ar": "ما تُغفله الإجابة"},
                            ],
                            "answer": "a, b, d",
                            "explanations": {
                                "en": "A good prompt gives a better draft, not a verified one.",
                                "ar": "التعليمة الجيدة تعطي مسودة أفضل، لا مسودة مُتحقَّقًا منها.",
                            },
                        },
                        {
                            "type": "ordering",
                            "stem": {
                                "en": "Put the steps of working with an AI assistant in order.",
                                "ar": "رتّب خطوات العمل مع مساعد الذكاء الاصطناعي.",
                            },
                            "options": [
                                {
                                    "en": "Check the result against trusted sources",
                                    "ar": "تحقق من النتيجة مقابل مصادر موثوقة",
                                },
                                {"en": "State the task, goal and context", "ar": "حدّد المهمة والهدف والسياق"},
                                {"en": "Read the draft and ask for changes", "ar": "اقرأ المسودة واطلب التعديلات"},
                            ],
                            "answer": "b, c, a",
                            "explanations": {
                                "en": "Brief clearly, iterate on the draft, then verify before you use it.",
                                "ar": "كلّف بوضوح، وحسّن المسودة، ثم تحقق قبل الاستخدام.",
                            },
                        },
                    ],
                },
            ],
        },
        {
            "titles": {"en": "Responsible use", "ar": "الاستخدام المسؤول"},
            "summaries": {
                "en": "Protecting data and people, and agreeing how your team uses AI.",
                "ar": "حماية البيانات والأشخاص، والاتفاق على طريقة استخدام فريقك للذكاء الاصطناعي.",
            },
            "lessons": [
                {
                    "kind": "case_lab",
                    "minutes": 45,
                    "titles": {
                        "en": "Draft an AI use guideline for your team",
                        "ar": "صياغة دليل لاستخدام الذكاء الاصطناعي في فريقك",
                    },
                    "bodies": {
                        "en": """<p>Your team of twelve in a logistics company has started to use a public AI chat assistant to draft customer emails and summarise delivery reports. Some reports contain customer names and addresses. Your manager asks you for a one-page guideline.</p>
<h2>Your task</h2>
<ul>
<li>State which tasks the assistant may be used for and which it may not.</li>
<li>Say what data must never be pasted into it, and what to do instead.</li>
<li>Describe how output is checked before it reaches a customer, and who is accountable.</li>
</ul>
<p>Write about 300 to 500 words. You may attach a PDF or a document instead.</p>""",
                        "ar": """<p>بدأ فريقك المكوّن من اثني عشر شخصًا في شركة لوجستية باستخدام مساعد محادثة عام بالذكاء الاصطناعي لصياغة رسائل العملاء وتلخيص تقارير التوصيل. وبعض التقارير يتضمن أسماء العملاء وعناوينهم. ويطلب منك مديرك دليلًا من صفحة واحدة.</p>
<h2>مهمتك</h2>
<ul>
<li>حدّد المهام التي يجوز استخدام المساعد فيها والمهام التي لا يجوز.</li>
<li>اذكر البيانات التي يجب ألا تُلصق فيه أبدًا، وما البديل.</li>
<li>صِف كيف تُراجع المخرجات قبل وصولها إلى العميل، ومن المسؤول عنها.</li>
</ul>
<p>اكتب ما بين 300 و500 كلمة تقريبًا. ويمكنك إرفاق ملف PDF أو مستند بدلًا من ذلك.</p>""",
                    },
                    "rubric": [
                        (4, {"en": "Protects personal and confidential data", "ar": "يحمي البيانات الشخصية والسرية"}),
                        (
                            3,
                            {
                                "en": "Requires checking before output is used",
                                "ar": "يشترط التحقق قبل استخدام المخرجات",
                            },
                        ),
                        (3, {"en": "Names who is accountable", "ar": "يحدد المسؤول"}),
                    ],
                    "pass_points": 6,
                },
                {
                    "kind": "mentor",
                    "minutes": 10,
                    "titles": {"en": "Ask the course mentor", "ar": "اسأل مرشد الدورة"},
                    "bodies": {
                        "en": "<p>Ask anything about this course — for example “What is a hallucination?” or “What should I check in AI output?”. The mentor answers from the lessons and shows where each answer comes from.</p>",
                        "ar": "<p>اسأل عن أي شيء في هذه الدورة، مثل «ما هي الهلوسة؟» أو «ما الذي يجب أن أتحقق منه في مخرجات الذكاء الاصطناعي؟». يجيب المرشد من الدروس ويبيّن مصدر كل إجابة.</p>",
                    },
                },
            ],
        },
    ],
}
