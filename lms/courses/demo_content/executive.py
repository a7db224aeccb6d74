"""AI+ Executive (English and Arabic): value, the business case, governance and risk."""

COURSE = {
    "track": "EXE",
    "code": "AIP-EXE-301",
    "slug": "ai-plus-executive-strategy-and-governance",
    "primary": "en",
    "languages": ["en", "ar"],
    "video": "intro-exe.webm",
    "level": "advanced",
    "duration_hours": 12,
    "access_days": 180,
    "modes": ["elearning", "instructor_led"],
    "prices": {"USD": (119900, 71900, 95900), "EUR": (109900, 65900, 87900), "AED": (439900, 263900, 351900)},
    "titles": {
        "en": "AI+ Executive: Strategy, Investment and Governance",
        "ar": "الذكاء الاصطناعي للقيادات: الاستراتيجية والاستثمار والحوكمة",
    },
    "descriptions": {
        "en": "For leaders who decide where AI is used: finding real value, building a business case that survives "
        "scrutiny, and governing AI risk with clear roles and proportionate controls.",
        "ar": "للقادة الذين يقررون أين يُستخدم الذكاء الاصطناعي: إيجاد قيمة حقيقية، وبناء دراسة جدوى تصمد أمام "
        "التدقيق، وحوكمة مخاطر الذكاء الاصطناعي بأدوار واضحة وضوابط متناسبة.",
    },
    "modules": [
        {
            "titles": {"en": "Where AI creates value", "ar": "أين يخلق الذكاء الاصطناعي القيمة"},
            "summaries": {
                "en": "Picking problems worth solving and making the business case.",
                "ar": "اختيار المشكلات التي تستحق الحل وبناء دراسة الجدوى.",
            },
            "lessons": [
                {
                    "kind": "video",
                    "minutes": 8,
                    "titles": {"en": "Finding problems worth solving", "ar": "العثور على مشكلات تستحق الحل"},
                    "transcripts": {
                        "en": """AI projects fail most often not because the model is weak but because the problem was wrong. Start from a business outcome, such as shorter claim handling or fewer stock-outs, not from a technology.

Good candidates share three traits. The task happens often, so small gains add up. There is data or documentation that describes how it is done today. And an error can be caught and corrected before it does serious harm.

Map each candidate on two axes: value if it works, and feasibility given your data, skills and risk. Begin with a few high-value, high-feasibility cases, and measure the baseline before you start so you can prove the improvement.""",
                        "ar": """لا تفشل مشاريع الذكاء الاصطناعي غالبًا بسبب ضعف النموذج، بل لأن المشكلة المختارة كانت خاطئة. ابدأ من نتيجة تجارية، مثل تقصير مدة معالجة المطالبات أو تقليل نفاد المخزون، لا من تقنية بعينها.

تشترك الحالات المرشحة الجيدة في ثلاث سمات: المهمة تتكرر كثيرًا فتتراكم المكاسب الصغيرة، وتوجد بيانات أو توثيق يصف كيف تُنجز اليوم، ويمكن اكتشاف الخطأ وتصحيحه قبل أن يُحدث ضررًا جسيمًا.

ضع كل حالة مرشحة على محورين: القيمة إذا نجحت، وقابلية التنفيذ في ضوء بياناتك ومهاراتك ومخاطرك. ابدأ بعدد قليل من الحالات عالية القيمة وعالية القابلية للتنفيذ، وقِس خط الأساس قبل البدء حتى تتمكن من إثبات التحسن.""",
                    },
                },
                {
                    "kind": "ebook",
                    "minutes": 18,
                    "titles": {"en": "Building the business case", "ar": "بناء دراسة الجدوى"},
                    "bodies": {
                        "en": """<h2>Count the whole cost</h2>
<p>The licence or model fee is rarely the largest cost. Include data preparation, integration with existing systems, security and legal review, training people, monitoring in production and the time of the experts who check the output.</p>
<h2>Value you can measure</h2>
<p>Express benefits in the units the business already tracks: hours saved per case, error rates, revenue per customer, time to answer. Agree the baseline and the measurement method before the pilot starts.</p>
<h2>Build, buy or partner</h2>
<p>Buy when the capability is common and not a differentiator; build when it depends on your proprietary data or processes and creates an advantage; partner when you need skills you do not have yet. Check vendor terms on data use, model changes and exit.</p>
<h2>Stage the investment</h2>
<p>Fund a time-boxed pilot with explicit success criteria, then scale only what met them. Stopping a pilot that did not work is a good outcome: it was cheap learning.</p>""",
                        "ar": """<h2>احسب التكلفة كاملة</h2>
<p>نادرًا ما تكون رسوم الترخيص أو النموذج هي التكلفة الأكبر. أدرج إعداد البيانات، والتكامل مع الأنظمة القائمة، والمراجعة الأمنية والقانونية، وتدريب الموظفين، والمراقبة أثناء التشغيل، ووقت الخبراء الذين يراجعون المخرجات.</p>
<h2>قيمة يمكن قياسها</h2>
<p>عبّر عن الفوائد بالوحدات التي تتابعها المؤسسة أصلًا: الساعات الموفرة لكل حالة، ومعدلات الخطأ، والإيراد لكل عميل، وزمن الاستجابة. واتفق على خط الأساس وطريقة القياس قبل بدء التجربة.</p>
<h2>البناء أم الشراء أم الشراكة</h2>
<p>اشترِ حين تكون القدرة شائعة ولا تميّزك؛ وابنِ حين تعتمد على بياناتك أو عملياتك الخاصة وتمنحك ميزة؛ واعقد شراكة حين تحتاج إلى مهارات لا تملكها بعد. وراجع شروط المورد بشأن استخدام البيانات وتغييرات النموذج والخروج من العقد.</p>
<h2>قسّم الاستثمار على مراحل</h2>
<p>موّل تجربة محددة المدة بمعايير نجاح صريحة، ثم وسّع فقط ما حقق تلك المعايير. وإيقاف تجربة لم تنجح نتيجة جيدة: فقد كان تعلّمًا بتكلفة زهيدة.</p>""",
                    },
                },
            ],
        },
        {
            "titles": {"en": "Governing AI", "ar": "حوكمة الذكاء الاصطناعي"},
            "summaries": {
                "en": "Roles, risk tiers and the controls that fit them.",
                "ar": "الأدوار ومستويات المخاطر والضوابط المناسبة لها.",
            },
            "lessons": [
                {
                    "kind": "podcast",
                    "minutes": 15,
                    "titles": {
                        "en": "Governing AI: roles and risk tiers",
                        "ar": "حوكمة الذكاء الاصطناعي: الأدوار ومستويات المخاطر",
                    },
                    "transcripts": {
                        "en": """Welcome to the executive briefing. Governance means knowing which AI systems you run, who owns each one, and whether the controls match the risk.

Start with an inventory. Every system that uses AI, bought or built, gets an owner who is accountable for its results.

Then classify risk. The European Union's AI Act is a useful reference: it prohibits a few unacceptable practices, sets strict obligations for high-risk uses such as recruitment, credit scoring and medical devices, requires transparency for systems like chatbots, and leaves minimal-risk uses such as spam filters largely free.

The NIST AI Risk Management Framework organises the work into four functions: Govern, Map, Measure and Manage. Govern sets policies and roles; Map describes the context and possible harms; Measure tests the system; Manage decides and acts on the risks.

Proportionality is the key word. A meeting summariser and a loan-decision model should not go through the same review.""",
                        "ar": """مرحبًا بكم في الإحاطة التنفيذية. تعني الحوكمة أن تعرف أنظمة الذكاء الاصطناعي التي تشغّلها، ومن يملك كلًّا منها، وهل تتناسب الضوابط مع المخاطر.

ابدأ بجرد. كل نظام يستخدم الذكاء الاصطناعي، سواء اشتُري أو بُني، يكون له مالك مسؤول عن نتائجه.

ثم صنّف المخاطر. قانون الذكاء الاصطناعي في الاتحاد الأوروبي مرجع مفيد: فهو يحظر عددًا قليلًا من الممارسات غير المقبولة، ويفرض التزامات صارمة على الاستخدامات عالية المخاطر مثل التوظيف وتقييم الجدارة الائتمانية والأجهزة الطبية، ويشترط الشفافية في أنظمة مثل روبوتات المحادثة، ويترك الاستخدامات منخفضة المخاطر مثل مرشحات الرسائل المزعجة حرة إلى حد كبير.

أما إطار إدارة مخاطر الذكاء الاصطناعي الصادر عن المعهد الوطني الأمريكي للمعايير والتقنية فينظم العمل في أربع وظائف: الحوكمة، والتحديد، والقياس، والإدارة. تضع الحوكمة السياسات والأدوار، ويصف التحديد السياق والأضرار المحتملة، ويختبر القياس النظام، وتقرر الإدارة كيفية التعامل مع المخاطر وتنفذ ذلك.

والتناسب هو الكلمة المفتاحية. فلا ينبغي أن يخضع أداة تلخيص الاجتماعات ونموذج قرارات القروض للمراجعة نفسها.""",
                    },
                },
                {
                    "kind": "ebook",
                    "minutes": 18,
                    "titles": {"en": "Managing AI risk in practice", "ar": "إدارة مخاطر الذكاء الاصطناعي عمليًا"},
                    "bodies": {
                        "en": """<h2>Questions a board should ask</h2>
<ul>
<li>Which of our AI systems could harm customers, employees or the public if they fail?</li>
<li>Who owns each system, and who can switch it off?</li>
<li>How do we know it still works as intended after launch?</li>
</ul>
<h2>Controls that scale with risk</h2>
<p>For low-risk uses, a short registration and basic staff training may be enough. High-risk uses need documented data sources, testing for accuracy and bias before launch, human oversight of decisions, monitoring in production, and a route for affected people to contest a decision.</p>
<h2>Incidents</h2>
<p>Treat an AI failure like any other operational incident: a clear reporting channel, an owner who investigates, and lessons that change the system or the process. Track near-misses too; they show where the next incident will come from.</p>""",
                        "ar": """<h2>أسئلة ينبغي أن يطرحها مجلس الإدارة</h2>
<ul>
<li>أيٌّ من أنظمة الذكاء الاصطناعي لدينا قد يضر العملاء أو الموظفين أو الجمهور إذا تعطّل؟</li>
<li>من يملك كل نظام، ومن يستطيع إيقافه؟</li>
<li>كيف نعرف أنه ما زال يعمل كما هو مقصود بعد إطلاقه؟</li>
</ul>
<h2>ضوابط تتدرج مع المخاطر</h2>
<p>في الاستخدامات منخفضة المخاطر قد يكفي تسجيل مختصر وتدريب أساسي للموظفين. أما الاستخدامات عالية المخاطر فتحتاج إلى توثيق مصادر البيانات، واختبار الدقة والتحيز قبل الإطلاق، وإشراف بشري على القرارات، ومراقبة أثناء التشغيل، وطريق يتيح للمتأثرين الاعتراض على القرار.</p>
<h2>الحوادث</h2>
<p>تعامل مع إخفاق الذكاء الاصطناعي كأي حادث تشغيلي آخر: قناة إبلاغ واضحة، ومالك يحقق فيه، ودروس تغيّر النظام أو العملية. وتابع الحوادث الوشيكة أيضًا، فهي تبيّن من أين سيأتي الحادث التالي.</p>""",
                    },
                },
                {
                    "kind": "quiz",
                    "minutes": 8,
                    "titles": {"en": "Practice: value and governance", "ar": "تدريب: القيمة والحوكمة"},
                    "questions": [
                        {
                            "type": "single_choice",
                            "stem": {
                                "en": "Which is usually NOT the largest cost of an AI project?",
                                "ar": "أيٌّ مما يلي ليس عادةً التكلفة الأكبر في مشروع ذكاء اصطناعي؟",
                            },
                            "options": [
                                {"en": "The model licence", "ar": "ترخيص النموذج"},
                                {"en": "Integration and data preparation", "ar": "التكامل وإعداد البيانات"},
                                {"en": "Experts' time checking output", "ar": "وقت الخبراء في مراجعة المخرجات"},
                            ],
                            "answer": "a",
                            "explanations": {
                                "en": "Licences are visible but rarely dominate the total cost.",
                                "ar": "التراخيص ظاهرة لكنها نادرًا ما تشكّل معظم التكلفة.",
                            },
                        },
                        {
                            "type": "ordering",
                            "stem": {
                                "en": "Put the NIST AI RMF functions in the order they are usually introduced.",
                                "ar": "رتّب وظائف إطار إدارة مخاطر الذكاء الاصطناعي بالترتيب الذي تُعرض به عادة.",
                            },
                            "options": [
                                {"en": "Measure", "ar": "القياس"},
                                {"en": "Govern", "ar": "الحوكمة"},
                                {"en": "Manage", "ar": "الإدارة"},
                                {"en": "Map", "ar": "التحديد"},
                            ],
                            "answer": "b, d, a, c",
                            "explanations": {
                                "en": "Govern, Map, Measure, Manage.",
                                "ar": "الحوكمة، ثم التحديد، ثم القياس، ثم الإدارة.",
                            },
                        },
                        {
                            "type": "true_false",
                            "stem": {
                                "en": "Every AI system should go through the same, strictest review.",
                                "ar": "يجب أن يخضع كل نظام ذكاء اصطناعي للمراجعة نفسها الأشد صرامة.",
                            },
                            "answer": "false",
                            "explanations": {
                                "en": "Controls should be proportionate to risk.",
                                "ar": "يجب أن تتناسب الضوابط مع المخاطر.",
                            },
                        },
                    ],
                },
            ],
        },
        {
            "titles": {"en": "Deciding", "ar": "اتخاذ القرار"},
            "summaries": {"en": "Apply it to a real portfolio.", "ar": "طبّق ما تعلمته على محفظة حقيقية."},
            "lessons": [
                {
                    "kind": "case_lab",
                    "minutes": 60,
                    "titles": {"en": "Prioritise an AI portfolio", "ar": "ترتيب أولويات محفظة مشاريع الذكاء الاصطناعي"},
                    "bodies": {
                        "en": """<p>A regional insurer has five AI proposals: a claims-document summariser, a fraud-scoring model, a customer chatbot, automated underwriting for small businesses, and a meeting-notes tool. The budget covers two pilots this year.</p>
<h2>Your task</h2>
<ul>
<li>Score each proposal for value and feasibility, and choose two pilots.</li>
<li>Classify each proposal's risk tier and name the controls the chosen pilots need.</li>
<li>Define the success criteria that decide whether a pilot scales.</li>
</ul>""",
                        "ar": """<p>لدى شركة تأمين إقليمية خمسة مقترحات للذكاء الاصطناعي: أداة لتلخيص مستندات المطالبات، ونموذج لتقدير احتمال الاحتيال، وروبوت محادثة للعملاء، واكتتاب آلي للشركات الصغيرة، وأداة لمحاضر الاجتماعات. وتكفي الميزانية لتجربتين هذا العام.</p>
<h2>مهمتك</h2>
<ul>
<li>قيّم كل مقترح من حيث القيمة وقابلية التنفيذ، واختر تجربتين.</li>
<li>صنّف مستوى مخاطر كل مقترح، وسمِّ الضوابط التي تحتاجها التجربتان المختارتان.</li>
<li>حدّد معايير النجاح التي تقرر توسيع التجربة من عدمه.</li>
</ul>""",
                    },
                    "rubric": [
                        (
                            4,
                            {
                                "en": "A reasoned value and feasibility assessment",
                                "ar": "تقييم مبرَّر للقيمة وقابلية التنفيذ",
                            },
                        ),
                        (3, {"en": "Risk tiers and proportionate controls", "ar": "مستويات المخاطر وضوابط متناسبة"}),
                        (3, {"en": "Measurable success criteria", "ar": "معايير نجاح قابلة للقياس"}),
                    ],
                    "pass_points": 6,
                },
                {
                    "kind": "mentor",
                    "minutes": 10,
                    "titles": {"en": "Ask the course mentor", "ar": "اسأل مرشد الدورة"},
                    "bodies": {
                        "en": "<p>Ask about value, costs, risk tiers or governance — for example “What does the EU AI Act consider high-risk?”.</p>",
                        "ar": "<p>اسأل عن القيمة أو التكاليف أو مستويات المخاطر أو الحوكمة، مثل «ما الذي يعدّه قانون الذكاء الاصطناعي الأوروبي عالي المخاطر؟».</p>",
                    },
                },
            ],
        },
    ],
}
