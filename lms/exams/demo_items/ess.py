# ruff: noqa: E501
"""AI+ Essentials: 40 items over four domains, in English and Arabic."""

DOMAINS = {
    "foundations": {
        "en": "AI foundations",
        "ar": "أسس الذكاء الاصطناعي",
        "es": "Fundamentos de la IA",
        "fr": "Fondements de l'IA",
        "de": "KI-Grundlagen",
        "ja": "AIの基礎",
    },
    "generative": {
        "en": "Generative AI and prompting",
        "ar": "الذكاء الاصطناعي التوليدي وصياغة الأوامر",
        "es": "IA generativa e instrucciones",
        "fr": "IA générative et rédaction de requêtes",
        "de": "Generative KI und Prompting",
        "ja": "生成AIとプロンプト",
    },
    "responsible": {
        "en": "Responsible and safe use",
        "ar": "الاستخدام المسؤول والآمن",
        "es": "Uso responsable y seguro",
        "fr": "Usage responsable et sûr",
        "de": "Verantwortungsvoller und sicherer Einsatz",
        "ja": "責任ある安全な利用",
    },
    "workplace": {
        "en": "AI at work",
        "ar": "الذكاء الاصطناعي في العمل",
        "es": "La IA en el trabajo",
        "fr": "L'IA au travail",
        "de": "KI im Arbeitsalltag",
        "ja": "職場でのAI",
    },
}

ITEMS = [
    # --- AI foundations -----------------------------------------------------------------------
    (
        "foundations",
        "sc",
        1,
        "Define machine learning",
        "Which statement best describes machine learning?",
        [
            "Computers follow rules written by hand for every situation",
            "Systems learn patterns from data to make predictions or decisions",
            "Any software that runs in the cloud",
            "Robots that move by themselves",
        ],
        "b",
        {
            "ar": {
                "stem": "أيّ عبارة تصف تعلّم الآلة على أفضل وجه؟",
                "options": [
                    "تتبع الحواسيب قواعد مكتوبة يدوياً لكل حالة",
                    "تتعلّم الأنظمة أنماطاً من البيانات لتقدّم تنبؤات أو قرارات",
                    "أي برنامج يعمل على السحابة",
                    "روبوتات تتحرك من تلقاء نفسها",
                ],
            }
        },
    ),
    (
        "foundations",
        "sc",
        2,
        "Recognise supervised learning",
        "A model is trained on thousands of e-mails, each labelled “spam” or “not spam”. What kind of learning is this?",
        ["Supervised learning", "Unsupervised learning", "Reinforcement learning", "A rule-based system"],
        "a",
        {
            "ar": {
                "stem": "يُدرَّب نموذج على آلاف الرسائل الإلكترونية، كلٌّ منها موسوم بـ«بريد مزعج» أو «غير مزعج». ما نوع التعلّم هنا؟",
                "options": [
                    "التعلّم الخاضع للإشراف",
                    "التعلّم غير الخاضع للإشراف",
                    "التعلّم المعزَّز",
                    "نظام قائم على القواعد",
                ],
            }
        },
    ),
    (
        "foundations",
        "sc",
        2,
        "Recognise unsupervised learning",
        "A retailer groups its customers into segments without any predefined labels. Which approach fits?",
        ["Classification", "Clustering (unsupervised learning)", "Regression", "Reinforcement learning"],
        "b",
        {
            "ar": {
                "stem": "يقسّم متجر عملاءه إلى شرائح دون أي تصنيفات محددة مسبقاً. أيّ نهج يناسب ذلك؟",
                "options": [
                    "التصنيف",
                    "التجميع (تعلّم غير خاضع للإشراف)",
                    "الانحدار",
                    "التعلّم المعزَّز",
                ],
            }
        },
    ),
    (
        "foundations",
        "tf",
        1,
        "Distinguish training from inference",
        "Inference is the phase in which a trained model is applied to new data to produce outputs.",
        None,
        "true",
        {"ar": {"stem": "الاستدلال هو المرحلة التي يُطبَّق فيها نموذج مدرَّب على بيانات جديدة لإنتاج مخرجات."}},
    ),
    (
        "foundations",
        "sc",
        2,
        "Describe deep learning",
        "What distinguishes deep learning from other machine learning?",
        [
            "It needs no data",
            "It uses neural networks with many layers",
            "It always runs on quantum computers",
            "It only works with text",
        ],
        "b",
        {
            "ar": {
                "stem": "ما الذي يميّز التعلّم العميق عن غيره من أساليب تعلّم الآلة؟",
                "options": [
                    "لا يحتاج إلى بيانات",
                    "يستخدم شبكات عصبية متعددة الطبقات",
                    "يعمل دائماً على حواسيب كمّية",
                    "يعمل مع النصوص فقط",
                ],
            }
        },
    ),
    (
        "foundations",
        "mr",
        3,
        "Identify data-quality problems",
        "Which of these are common data-quality problems that reduce model performance? (Choose two.)",
        [
            "Missing values",
            "Labels that are wrong or inconsistent",
            "Data stored in a database",
            "Data collected with consent",
        ],
        "a;b",
        {
            "ar": {
                "stem": "أيٌّ مما يلي من مشكلات جودة البيانات الشائعة التي تُضعف أداء النموذج؟ (اختر إجابتين.)",
                "options": [
                    "قيم مفقودة",
                    "تصنيفات خاطئة أو غير متسقة",
                    "بيانات مخزّنة في قاعدة بيانات",
                    "بيانات جُمعت بموافقة أصحابها",
                ],
            }
        },
    ),
    (
        "foundations",
        "tf",
        2,
        "Understand narrow AI",
        "Today's AI systems, including chatbots, are general intelligences that understand the world the way humans do.",
        None,
        "false",
        {
            "ar": {
                "stem": "أنظمة الذكاء الاصطناعي الحالية، ومنها روبوتات المحادثة، ذكاءٌ عامّ يفهم العالم كما يفهمه البشر."
            }
        },
    ),
    (
        "foundations",
        "sc",
        3,
        "Recognise reinforcement learning",
        "An agent learns to play a game by receiving rewards for good moves and penalties for bad ones. This is:",
        ["Reinforcement learning", "Supervised learning", "Transfer learning", "Data labelling"],
        "a",
        {
            "ar": {
                "stem": "يتعلّم وكيلٌ لعب لعبة بتلقّي مكافآت على الحركات الجيدة وعقوبات على السيئة. هذا هو:",
                "options": [
                    "التعلّم المعزَّز",
                    "التعلّم الخاضع للإشراف",
                    "نقل التعلّم",
                    "وسم البيانات",
                ],
            }
        },
    ),
    (
        "foundations",
        "or",
        3,
        "Order the machine-learning lifecycle",
        "Put these steps of a typical machine-learning project in order.",
        [
            "Deploy and monitor the model",
            "Define the problem",
            "Collect and prepare data",
            "Train and evaluate the model",
        ],
        "b;c;d;a",
        {
            "ar": {
                "stem": "رتّب خطوات مشروع تعلّم آلة نموذجي.",
                "options": [
                    "نشر النموذج ومراقبته",
                    "تحديد المشكلة",
                    "جمع البيانات وتجهيزها",
                    "تدريب النموذج وتقييمه",
                ],
            }
        },
    ),
    (
        "foundations",
        "sc",
        2,
        "Recognise overfitting",
        "A model scores 99% on its training data but performs poorly on new data. What is this called?",
        ["Overfitting", "Underfitting", "Inference", "Normalisation"],
        "a",
        {
            "ar": {
                "stem": "يحقق نموذج دقة 99% على بيانات تدريبه لكنه يؤدي أداءً ضعيفاً على بيانات جديدة. ماذا يُسمّى ذلك؟",
                "options": [
                    "الإفراط في التخصيص (Overfitting)",
                    "نقص التخصيص (Underfitting)",
                    "الاستدلال",
                    "التطبيع",
                ],
            }
        },
    ),
    # --- Generative AI and prompting ----------------------------------------------------------
    (
        "generative",
        "sc",
        1,
        "Explain how an LLM writes",
        "At its core, what does a large language model do when it writes text?",
        [
            "Looks up answers in a verified database",
            "Predicts likely next tokens based on patterns in its training data",
            "Copies whole documents from the internet",
            "Runs a search-engine query for every word",
        ],
        "b",
        {
            "ar": {
                "stem": "ما الذي يفعله النموذج اللغوي الكبير في جوهره عندما يكتب نصاً؟",
                "options": [
                    "يبحث عن الإجابات في قاعدة بيانات موثّقة",
                    "يتنبأ بالرموز (tokens) التالية الأرجح بناءً على أنماط في بيانات تدريبه",
                    "ينسخ مستندات كاملة من الإنترنت",
                    "يُجري بحثاً على محرك بحث لكل كلمة",
                ],
            }
        },
    ),
    (
        "generative",
        "sc",
        2,
        "Recognise hallucination",
        "An AI assistant confidently cites a court case that does not exist. What is this called?",
        ["Hallucination", "Overfitting", "Tokenisation", "Fine-tuning"],
        "a",
        {
            "ar": {
                "stem": "يستشهد مساعد ذكاء اصطناعي بثقة بقضية قضائية لا وجود لها. ماذا يُسمّى ذلك؟",
                "options": [
                    "الهلوسة",
                    "الإفراط في التخصيص",
                    "التقطيع إلى رموز",
                    "الضبط الدقيق",
                ],
            }
        },
    ),
    (
        "generative",
        "mr",
        2,
        "Write effective prompts",
        "Which practices usually improve the answers you get from a generative AI assistant? (Choose three.)",
        [
            "Give context about your goal and audience",
            "Say what format you want the answer in",
            "Provide an example of a good answer",
            "Keep the request as vague as possible",
            "Use only one word",
        ],
        "a;b;c",
        {
            "ar": {
                "stem": "أيّ الممارسات التالية تحسّن عادةً الإجابات التي تحصل عليها من مساعد ذكاء اصطناعي توليدي؟ (اختر ثلاث إجابات.)",
                "options": [
                    "قدّم سياقاً عن هدفك وجمهورك",
                    "حدّد الصيغة التي تريد بها الإجابة",
                    "قدّم مثالاً على إجابة جيدة",
                    "اجعل الطلب مبهماً قدر الإمكان",
                    "استخدم كلمة واحدة فقط",
                ],
            }
        },
    ),
    (
        "generative",
        "tf",
        2,
        "Define the context window",
        "A language model can only take a limited amount of text into account at once; this limit is called its context window.",
        None,
        "true",
        {
            "ar": {
                "stem": "لا يستطيع النموذج اللغوي أن يأخذ في الحسبان إلا قدراً محدوداً من النص في المرة الواحدة، ويُسمّى هذا الحدّ «نافذة السياق»."
            }
        },
    ),
    (
        "generative",
        "sc",
        3,
        "Define tokens",
        "Language models usually measure the length of their input and output in:",
        ["Tokens (pieces of words)", "Pages", "Bytes of memory", "Sentences"],
        "a",
        {
            "ar": {
                "stem": "تقيس النماذج اللغوية عادةً طول المدخلات والمخرجات بـ:",
                "options": [
                    "الرموز (أجزاء من الكلمات)",
                    "الصفحات",
                    "بايتات الذاكرة",
                    "الجُمل",
                ],
            }
        },
    ),
    (
        "generative",
        "sc",
        2,
        "Explain the temperature setting",
        "In many generative AI tools, raising the “temperature” setting makes the output:",
        ["More varied and less predictable", "Always more factual", "Shorter", "Translated into another language"],
        "a",
        {
            "ar": {
                "stem": "في كثير من أدوات الذكاء الاصطناعي التوليدي، يؤدي رفع إعداد «درجة الحرارة» إلى أن تصبح المخرجات:",
                "options": [
                    "أكثر تنوعاً وأقل قابلية للتوقع",
                    "أكثر دقة دائماً",
                    "أقصر",
                    "مترجمة إلى لغة أخرى",
                ],
            }
        },
    ),
    (
        "generative",
        "sc",
        3,
        "Explain grounding (RAG)",
        "What is the main benefit of connecting an AI assistant to your organisation's approved documents "
        "(retrieval-augmented generation)?",
        [
            "Answers can be based on, and cite, current trusted sources",
            "The model no longer needs electricity",
            "It guarantees that every answer is correct",
            "The model learns permanently from every question",
        ],
        "a",
        {
            "ar": {
                "stem": "ما الفائدة الرئيسية من ربط مساعد ذكاء اصطناعي بالمستندات المعتمدة في مؤسستك (التوليد المعزَّز بالاسترجاع)؟",
                "options": [
                    "يمكن أن تستند الإجابات إلى مصادر حديثة موثوقة وتستشهد بها",
                    "لا يعود النموذج بحاجة إلى الكهرباء",
                    "يضمن أن تكون كل إجابة صحيحة",
                    "يتعلّم النموذج بصورة دائمة من كل سؤال",
                ],
            }
        },
    ),
    (
        "generative",
        "ma",
        3,
        "Match generative tools to outputs",
        "Match each kind of generative AI model with what it produces.",
        ["Spoken audio", "Written text", "Pictures"],
        "p1=c;p2=b;p3=a",
        {
            "prompts": ["Text-to-image model", "Large language model", "Speech synthesis (text-to-speech)"],
            "ar": {
                "stem": "طابِق كل نوع من نماذج الذكاء الاصطناعي التوليدي مع ما ينتجه.",
                "options": ["صوت منطوق", "نص مكتوب", "صور"],
                "prompts": ["نموذج تحويل النص إلى صورة", "نموذج لغوي كبير", "تركيب الكلام (تحويل النص إلى كلام)"],
            },
        },
    ),
    (
        "generative",
        "tf",
        1,
        "Check generated content",
        "Because generative AI output is fluent, it can be published without checking the facts.",
        None,
        "false",
        {"ar": {"stem": "بما أن مخرجات الذكاء الاصطناعي التوليدي سلسة، يمكن نشرها دون التحقق من الحقائق."}},
    ),
    (
        "generative",
        "sc",
        2,
        "Define multimodal models",
        "A model that can take both an image and a text question as input is called:",
        ["Multimodal", "Monolingual", "Deterministic", "Rule-based"],
        "a",
        {
            "ar": {
                "stem": "يُسمّى النموذج الذي يستطيع تلقّي صورة وسؤال نصي معاً:",
                "options": [
                    "متعدد الوسائط",
                    "أحادي اللغة",
                    "حتمي",
                    "قائم على القواعد",
                ],
            }
        },
    ),
    # --- Responsible and safe use -------------------------------------------------------------
    (
        "responsible",
        "sc",
        2,
        "Protect confidential data",
        "A colleague wants to paste a customer contract into a free public chatbot to summarise it. What should they do first?",
        [
            "Check the organisation's policy and use an approved tool that protects confidential data",
            "Paste it: chatbots never store what they are given",
            "Remove the page numbers",
            "Ask the chatbot whether it is safe",
        ],
        "a",
        {
            "ar": {
                "stem": "يريد زميل لصق عقد عميل في روبوت محادثة عام مجاني لتلخيصه. ماذا ينبغي أن يفعل أولاً؟",
                "options": [
                    "يراجع سياسة المؤسسة ويستخدم أداة معتمدة تحمي البيانات السرية",
                    "يلصقه مباشرة: روبوتات المحادثة لا تخزّن ما يُعطى لها أبداً",
                    "يحذف أرقام الصفحات",
                    "يسأل روبوت المحادثة إن كان ذلك آمناً",
                ],
            }
        },
    ),
    (
        "responsible",
        "sc",
        2,
        "Explain where bias comes from",
        "A hiring model trained on ten years of past hiring decisions favours one group of applicants. "
        "What is the most likely cause?",
        [
            "The historical data reflected biased past decisions",
            "The model ran on slow hardware",
            "The model was given too many job titles",
            "Applicants used different fonts",
        ],
        "a",
        {
            "ar": {
                "stem": "نموذج توظيف دُرِّب على قرارات التوظيف خلال عشر سنوات يفضّل فئة من المتقدمين. ما السبب الأرجح؟",
                "options": [
                    "البيانات التاريخية عكست قرارات سابقة متحيزة",
                    "عمل النموذج على أجهزة بطيئة",
                    "أُعطي النموذج مسميات وظيفية كثيرة",
                    "استخدم المتقدمون خطوطاً مختلفة",
                ],
            }
        },
    ),
    (
        "responsible",
        "mr",
        3,
        "Recognise human oversight",
        "Which are good examples of human oversight of an AI system? (Choose two.)",
        [
            "A person reviews AI-drafted decisions before they affect customers",
            "A clear way to escalate and correct wrong AI outputs",
            "Turning off all logging to keep the system fast",
            "Letting the AI approve its own exceptions",
        ],
        "a;b",
        {
            "ar": {
                "stem": "أيٌّ مما يلي أمثلة جيدة على الإشراف البشري على نظام ذكاء اصطناعي؟ (اختر إجابتين.)",
                "options": [
                    "يراجع شخصٌ القرارات التي صاغها الذكاء الاصطناعي قبل أن تؤثر في العملاء",
                    "طريقة واضحة للتصعيد وتصحيح المخرجات الخاطئة",
                    "إيقاف كل السجلات للحفاظ على سرعة النظام",
                    "ترك الذكاء الاصطناعي يوافق على استثناءاته بنفسه",
                ],
            }
        },
    ),
    (
        "responsible",
        "tf",
        2,
        "Apply data protection",
        "Under data-protection laws such as the GDPR, personal data entered into an AI tool is still personal data, "
        "and processing it needs a lawful basis.",
        None,
        "true",
        {
            "ar": {
                "stem": "بموجب قوانين حماية البيانات مثل اللائحة العامة لحماية البيانات (GDPR)، تظل البيانات الشخصية المُدخلة في أداة ذكاء اصطناعي بيانات شخصية، ويجب أن يكون لمعالجتها أساس قانوني."
            }
        },
    ),
    (
        "responsible",
        "sc",
        3,
        "Practise transparency",
        "Which practice best supports transparency when customers interact with an AI chatbot?",
        [
            "Telling them that they are talking to an AI system",
            "Giving the chatbot a human name and photo",
            "Hiding the chatbot's limitations",
            "Answering only in legal language",
        ],
        "a",
        {
            "ar": {
                "stem": "أيّ ممارسة تدعم الشفافية على أفضل وجه عندما يتعامل العملاء مع روبوت محادثة ذكي؟",
                "options": [
                    "إخبارهم بأنهم يتحدثون مع نظام ذكاء اصطناعي",
                    "إعطاء الروبوت اسماً وصورة بشريين",
                    "إخفاء حدود قدرات الروبوت",
                    "الإجابة بلغة قانونية فقط",
                ],
            }
        },
    ),
    (
        "responsible",
        "sc",
        2,
        "Respond to a suspected deepfake",
        "A video of your CEO asks staff to transfer money urgently, but the voice sounds slightly off. "
        "What is the safest response?",
        [
            "Verify the request through a separate, known channel before acting",
            "Transfer quickly to avoid delay",
            "Reply to the video's sender to ask whether it is real",
            "Forward it to all colleagues",
        ],
        "a",
        {
            "ar": {
                "stem": "مقطع فيديو لرئيسك التنفيذي يطلب من الموظفين تحويل أموال على وجه السرعة، لكن الصوت يبدو غريباً قليلاً. ما الاستجابة الأكثر أماناً؟",
                "options": [
                    "التحقق من الطلب عبر قناة منفصلة معروفة قبل التصرف",
                    "التحويل بسرعة لتجنب التأخير",
                    "الرد على مرسل الفيديو لسؤاله إن كان حقيقياً",
                    "إعادة توجيهه إلى جميع الزملاء",
                ],
            }
        },
    ),
    (
        "responsible",
        "tf",
        3,
        "Recognise open legal questions",
        "Whether AI-generated content can be protected by copyright, and whether training data was used lawfully, "
        "are legal questions whose answers differ between countries.",
        None,
        "true",
        {
            "ar": {
                "stem": "مسألتا حماية المحتوى المولَّد بالذكاء الاصطناعي بحقوق النشر، ومشروعية استخدام بيانات التدريب، مسألتان قانونيتان تختلف إجاباتهما من بلد إلى آخر."
            }
        },
    ),
    (
        "responsible",
        "mr",
        3,
        "Reduce unfair outcomes",
        "Before using an AI tool to screen loan applications, which steps help reduce unfair outcomes? (Choose two.)",
        [
            "Test error rates separately for different groups of applicants",
            "Keep a documented way for applicants to contest a decision",
            "Remove all human review so that decisions are consistent",
            "Use the tool only on Fridays",
        ],
        "a;b",
        {
            "ar": {
                "stem": "قبل استخدام أداة ذكاء اصطناعي لفرز طلبات القروض، أيّ الخطوات تساعد على الحد من النتائج غير العادلة؟ (اختر إجابتين.)",
                "options": [
                    "اختبار معدلات الخطأ بشكل منفصل لكل فئة من المتقدمين",
                    "توفير طريقة موثّقة تتيح للمتقدمين الطعن في القرار",
                    "إلغاء كل مراجعة بشرية لضمان اتساق القرارات",
                    "استخدام الأداة أيام الجمعة فقط",
                ],
            }
        },
    ),
    (
        "responsible",
        "sc",
        2,
        "Assign accountability",
        "When an AI tool helps produce a report that contains an error, who is accountable for the report?",
        [
            "The people and the organisation who published it",
            "Nobody, because an AI wrote it",
            "The AI model",
            "The internet",
        ],
        "a",
        {
            "ar": {
                "stem": "عندما تساعد أداة ذكاء اصطناعي في إعداد تقرير يحتوي على خطأ، فمن المسؤول عن التقرير؟",
                "options": [
                    "الأشخاص والمؤسسة الذين نشروه",
                    "لا أحد، لأن الذكاء الاصطناعي كتبه",
                    "نموذج الذكاء الاصطناعي",
                    "الإنترنت",
                ],
            }
        },
    ),
    (
        "responsible",
        "or",
        3,
        "Respond to an AI incident",
        "An AI tool at work produced a harmful output that reached a customer. Put the response steps in order.",
        [
            "Contain it: stop or limit the tool's use",
            "Notice and report the incident",
            "Investigate the cause",
            "Fix, document and share the lessons",
        ],
        "b;a;c;d",
        {
            "ar": {
                "stem": "أنتجت أداة ذكاء اصطناعي في العمل مخرجاً ضاراً وصل إلى أحد العملاء. رتّب خطوات الاستجابة.",
                "options": [
                    "الاحتواء: إيقاف استخدام الأداة أو تقييده",
                    "ملاحظة الحادث والإبلاغ عنه",
                    "التحقيق في السبب",
                    "الإصلاح والتوثيق ومشاركة الدروس المستفادة",
                ],
            }
        },
    ),
    # --- AI at work ---------------------------------------------------------------------------
    (
        "workplace",
        "sc",
        1,
        "Distinguish augmentation from replacement",
        "Which use of AI is an example of augmenting work rather than replacing it?",
        [
            "A writer uses AI to produce a first draft and then edits it",
            "A system dismisses staff automatically",
            "All reviewers are removed from a process",
            "AI tools are banned",
        ],
        "a",
        {
            "ar": {
                "stem": "أيّ استخدام للذكاء الاصطناعي مثالٌ على تعزيز العمل لا استبداله؟",
                "options": [
                    "كاتب يستخدم الذكاء الاصطناعي لإعداد مسودة أولى ثم يحررها بنفسه",
                    "نظام يفصل الموظفين تلقائياً",
                    "إلغاء جميع المراجعين من إحدى العمليات",
                    "حظر أدوات الذكاء الاصطناعي",
                ],
            }
        },
    ),
    (
        "workplace",
        "sc",
        2,
        "Choose a first use case",
        "Which task is usually the best first candidate for a generative AI pilot?",
        [
            "Drafting internal summaries of long documents, reviewed by staff",
            "Making final medical diagnoses without review",
            "Approving payments automatically",
            "Writing legally binding contracts without review",
        ],
        "a",
        {
            "ar": {
                "stem": "أيّ مهمة تكون عادةً أفضل مرشح لتجربة أولى للذكاء الاصطناعي التوليدي؟",
                "options": [
                    "إعداد ملخصات داخلية لمستندات طويلة يراجعها الموظفون",
                    "إصدار تشخيصات طبية نهائية دون مراجعة",
                    "الموافقة على المدفوعات تلقائياً",
                    "كتابة عقود ملزمة قانونياً دون مراجعة",
                ],
            }
        },
    ),
    (
        "workplace",
        "mr",
        2,
        "Evaluate AI output",
        "When checking an AI-generated answer, what should you verify? (Choose three.)",
        [
            "Facts and figures against reliable sources",
            "That quoted sources exist and say what is claimed",
            "That it fits your audience and purpose",
            "That it sounds confident",
            "That it is long",
        ],
        "a;b;c",
        {
            "ar": {
                "stem": "عند التحقق من إجابة أنتجها الذكاء الاصطناعي، ما الذي ينبغي التأكد منه؟ (اختر ثلاث إجابات.)",
                "options": [
                    "الحقائق والأرقام مقارنةً بمصادر موثوقة",
                    "أن المصادر المقتبسة موجودة وتقول ما يُنسب إليها",
                    "أنها تناسب جمهورك وغرضك",
                    "أنها تبدو واثقة",
                    "أنها طويلة",
                ],
            }
        },
    ),
    (
        "workplace",
        "tf",
        2,
        "Plan a pilot",
        "A pilot of an AI tool should define how success will be measured before it starts.",
        None,
        "true",
        {"ar": {"stem": "ينبغي أن تحدد تجربةُ أداةِ ذكاء اصطناعي كيفيةَ قياس النجاح قبل أن تبدأ."}},
    ),
    (
        "workplace",
        "sc",
        3,
        "Select a tool responsibly",
        "Your team compares two AI writing tools. Which criterion matters most for handling client information?",
        [
            "Where data is stored and whether it is used to train the vendor's models",
            "The colour of the interface",
            "How many emojis it supports",
            "Whether it has a dark mode",
        ],
        "a",
        {
            "ar": {
                "stem": "يقارن فريقك بين أداتين للكتابة بالذكاء الاصطناعي. أيّ معيار هو الأهم في التعامل مع معلومات العملاء؟",
                "options": [
                    "مكان تخزين البيانات وهل تُستخدم لتدريب نماذج المورّد",
                    "لون الواجهة",
                    "عدد الرموز التعبيرية التي تدعمها",
                    "وجود الوضع الداكن",
                ],
            }
        },
    ),
    (
        "workplace",
        "ma",
        2,
        "Match tasks to AI capabilities",
        "Match each workplace task with the kind of AI that fits it best.",
        ["Speech recognition", "Text classification", "Time-series forecasting"],
        "p1=b;p2=c;p3=a",
        {
            "prompts": [
                "Sorting incoming support e-mails by topic",
                "Forecasting next month's sales",
                "Turning meeting recordings into text",
            ],
            "ar": {
                "stem": "طابِق كل مهمة في العمل مع نوع الذكاء الاصطناعي الأنسب لها.",
                "options": ["التعرّف على الكلام", "تصنيف النصوص", "التنبؤ بالسلاسل الزمنية"],
                "prompts": [
                    "فرز رسائل الدعم الواردة حسب الموضوع",
                    "التنبؤ بمبيعات الشهر القادم",
                    "تحويل تسجيلات الاجتماعات إلى نص",
                ],
            },
        },
    ),
    (
        "workplace",
        "sc",
        2,
        "Lead change",
        "Employees worry that a new AI tool will replace them. What is the most effective first response from a manager?",
        [
            "Explain how the tool will be used, what changes for each role, and offer training",
            "Say nothing until the rollout",
            "Tell them to stop worrying",
            "Postpone all training",
        ],
        "a",
        {
            "ar": {
                "stem": "يقلق الموظفون من أن تحلّ أداة ذكاء اصطناعي جديدة محلّهم. ما أكثر استجابة أولى فاعلية من المدير؟",
                "options": [
                    "شرح كيفية استخدام الأداة وما الذي سيتغير في كل دور، وتوفير التدريب",
                    "الصمت حتى الإطلاق",
                    "الطلب منهم التوقف عن القلق",
                    "تأجيل كل التدريب",
                ],
            }
        },
    ),
    (
        "workplace",
        "tf",
        3,
        "Recognise automation bias",
        "Automation bias is the tendency to trust an automated system's output too much, even when there are signs that it is wrong.",
        None,
        "true",
        {
            "ar": {
                "stem": "تحيّز الأتمتة هو الميل إلى الوثوق المفرط بمخرجات نظام آلي، حتى عندما توجد مؤشرات على أنها خاطئة."
            }
        },
    ),
    (
        "workplace",
        "sc",
        3,
        "Analyse data with AI",
        "You want AI help to analyse a spreadsheet of sales figures that contains no personal data. "
        "What is a sensible approach?",
        [
            "Use an approved tool, describe the columns and the question, and check the results against the data",
            "Accept the first chart it produces",
            "Ask for a result without giving it any data",
            "Share the file publicly to get feedback",
        ],
        "a",
        {
            "ar": {
                "stem": "تريد مساعدة الذكاء الاصطناعي في تحليل جدول بيانات لأرقام المبيعات لا يحتوي على بيانات شخصية. ما النهج المعقول؟",
                "options": [
                    "استخدام أداة معتمدة، ووصف الأعمدة والسؤال، والتحقق من النتائج مقارنةً بالبيانات",
                    "قبول أول رسم بياني يُنتَج",
                    "طلب نتيجة دون تقديم أي بيانات",
                    "مشاركة الملف علناً للحصول على آراء",
                ],
            }
        },
    ),
    (
        "workplace",
        "or",
        2,
        "Introduce an AI tool",
        "Put these steps for introducing an AI tool in a team in a sensible order.",
        [
            "Roll it out more widely, with training",
            "Identify a specific problem worth solving",
            "Run a small pilot with clear success measures",
            "Review the pilot's results and risks",
        ],
        "b;c;d;a",
        {
            "ar": {
                "stem": "رتّب خطوات إدخال أداة ذكاء اصطناعي إلى فريق بترتيب منطقي.",
                "options": [
                    "التوسع في الاستخدام مع التدريب",
                    "تحديد مشكلة بعينها تستحق الحل",
                    "إجراء تجربة صغيرة بمقاييس نجاح واضحة",
                    "مراجعة نتائج التجربة ومخاطرها",
                ],
            }
        },
    ),
]
