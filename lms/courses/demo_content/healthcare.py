"""AI+ Healthcare (English and French): validation, test accuracy, bias and regulation of clinical AI."""

COURSE = {
    "track": "HLT",
    "code": "AIP-HLT-201",
    "slug": "ai-plus-healthcare-safe-clinical-ai",
    "primary": "en",
    "languages": ["en", "fr"],
    "video": "intro-hlt.webm",
    "level": "intermediate",
    "duration_hours": 16,
    "access_days": 365,
    "modes": ["elearning", "instructor_led"],
    "prices": {"USD": (99900, 59900, 79900), "EUR": (92900, 55900, 74300), "AED": (366900, 219900, 293900)},
    "titles": {
        "en": "AI+ Healthcare: Safe and Fair Clinical AI",
        "fr": "AI+ Santé : une IA clinique sûre et équitable",
    },
    "descriptions": {
        "en": "For clinicians and health managers who evaluate or use AI tools: how they are validated, how to read "
        "their accuracy, where bias comes from, and what regulation and oversight require.",
        "fr": "Pour les cliniciens et les responsables de santé qui évaluent ou utilisent des outils d'IA : comment ils "
        "sont validés, comment lire leur précision, d'où viennent les biais et ce qu'exigent la réglementation et la supervision.",
    },
    "modules": [
        {
            "titles": {
                "en": "How clinical AI is built and judged",
                "fr": "Comment l'IA clinique est conçue et évaluée",
            },
            "summaries": {
                "en": "Validation and the numbers that describe a test.",
                "fr": "La validation et les chiffres qui décrivent un test.",
            },
            "lessons": [
                {
                    "kind": "video",
                    "minutes": 9,
                    "titles": {
                        "en": "How clinical AI tools are built and validated",
                        "fr": "Comment les outils d'IA clinique sont conçus et validés",
                    },
                    "transcripts": {
                        "en": """A clinical AI tool starts with a question, for example: does this chest X-ray show a pneumothorax? Developers collect images labelled by experts and train a model to reproduce those labels.

Internal validation tests the model on held-out data from the same hospitals. External validation tests it on patients from other sites, scanners and populations. Performance usually drops in external validation, and that drop is exactly what you need to know before adopting a tool.

A prospective evaluation goes further: the tool runs in real clinical workflow, and outcomes are measured. Ask vendors which of these levels of evidence exist for the population you serve.""",
                        "fr": """Un outil d'IA clinique part d'une question, par exemple : cette radiographie thoracique montre-t-elle un pneumothorax ? Les développeurs rassemblent des images annotées par des experts et entraînent un modèle à reproduire ces annotations.

La validation interne teste le modèle sur des données mises de côté provenant des mêmes hôpitaux. La validation externe le teste sur des patients d'autres sites, d'autres appareils et d'autres populations. Les performances baissent généralement lors de la validation externe, et c'est précisément cette baisse qu'il faut connaître avant d'adopter un outil.

Une évaluation prospective va plus loin : l'outil fonctionne dans le parcours clinique réel et l'on mesure les résultats pour les patients. Demandez aux fournisseurs lesquels de ces niveaux de preuve existent pour la population que vous soignez.""",
                    },
                },
                {
                    "kind": "ebook",
                    "minutes": 20,
                    "titles": {
                        "en": "Sensitivity, specificity and predictive values",
                        "fr": "Sensibilité, spécificité et valeurs prédictives",
                    },
                    "bodies": {
                        "en": """<h2>Four numbers from one table</h2>
<p>Compare the tool's result with the true diagnosis and count true positives (TP), false positives (FP), true negatives (TN) and false negatives (FN).</p>
<ul>
<li><strong>Sensitivity</strong> = TP / (TP + FN): of the patients who have the condition, how many the tool detects.</li>
<li><strong>Specificity</strong> = TN / (TN + FP): of the patients without it, how many the tool correctly clears.</li>
<li><strong>Positive predictive value</strong> = TP / (TP + FP): of the patients flagged, how many really have the condition.</li>
</ul>
<h2>Why prevalence matters</h2>
<p>Predictive values depend on how common the condition is. A tool with 90 % sensitivity and 90 % specificity, used where 1 % of patients have the condition, flags about eleven healthy patients for every true case: its positive predictive value is only about 8 %. The same tool in a population with 30 % prevalence has a positive predictive value near 79 %.</p>
<h2>Reading a vendor's claim</h2>
<p>Ask for sensitivity and specificity with confidence intervals, the prevalence in the study population, and results for subgroups such as age, sex and ethnicity. A single “accuracy” figure is not enough to judge a clinical tool.</p>""",
                        "fr": """<h2>Quatre chiffres tirés d'un seul tableau</h2>
<p>Comparez le résultat de l'outil au diagnostic réel et comptez les vrais positifs (VP), les faux positifs (FP), les vrais négatifs (VN) et les faux négatifs (FN).</p>
<ul>
<li><strong>Sensibilité</strong> = VP / (VP + FN) : parmi les patients atteints, combien l'outil en détecte.</li>
<li><strong>Spécificité</strong> = VN / (VN + FP) : parmi les patients non atteints, combien l'outil écarte à juste titre.</li>
<li><strong>Valeur prédictive positive</strong> = VP / (VP + FP) : parmi les patients signalés, combien sont réellement atteints.</li>
</ul>
<h2>Pourquoi la prévalence compte</h2>
<p>Les valeurs prédictives dépendent de la fréquence de la maladie. Un outil ayant une sensibilité de 90 % et une spécificité de 90 %, utilisé là où 1 % des patients sont atteints, signale environ onze patients sains pour chaque vrai cas : sa valeur prédictive positive n'est que d'environ 8 %. Le même outil dans une population où la prévalence est de 30 % a une valeur prédictive positive proche de 79 %.</p>
<h2>Lire l'argumentaire d'un fournisseur</h2>
<p>Demandez la sensibilité et la spécificité avec leurs intervalles de confiance, la prévalence dans la population étudiée et les résultats par sous-groupes, comme l'âge, le sexe et l'origine. Un chiffre unique d'« exactitude » ne suffit pas pour juger un outil clinique.</p>""",
                    },
                },
            ],
        },
        {
            "titles": {"en": "Fairness and regulation", "fr": "Équité et réglementation"},
            "summaries": {
                "en": "Where bias comes from and what the rules require.",
                "fr": "D'où viennent les biais et ce qu'exigent les règles.",
            },
            "lessons": [
                {
                    "kind": "podcast",
                    "minutes": 14,
                    "titles": {"en": "Bias in clinical algorithms", "fr": "Les biais des algorithmes cliniques"},
                    "transcripts": {
                        "en": """In this episode we look at two well-documented cases of bias.

The first is measurement bias in a device. Studies of pulse oximeters found that they overestimate blood oxygen saturation more often in patients with darker skin, so low oxygen levels can be missed. The sensor, not a learning algorithm, was the source, but any model trained on such readings inherits the error.

The second is a proxy problem. A widely used algorithm that identified patients for extra care programmes used past healthcare costs as a proxy for health needs. Because less money had historically been spent on Black patients with the same level of illness, the algorithm underestimated their needs. Researchers showed that changing the label from cost to measures of health reduced the bias substantially.

The lesson: ask what the model actually predicts, how that target was measured, and how performance differs between groups.""",
                        "fr": """Dans cet épisode, nous examinons deux cas de biais bien documentés.

Le premier est un biais de mesure lié à un appareil. Des études sur les oxymètres de pouls ont montré qu'ils surestiment plus souvent la saturation en oxygène chez les patients à la peau foncée, si bien qu'une hypoxémie peut passer inaperçue. La source était le capteur, non un algorithme d'apprentissage, mais tout modèle entraîné sur ces mesures hérite de l'erreur.

Le second est un problème d'indicateur de substitution. Un algorithme très utilisé pour repérer les patients à inclure dans des programmes de soins renforcés se servait des dépenses de santé passées comme indicateur des besoins de santé. Comme on avait historiquement dépensé moins pour les patients noirs à niveau de maladie égal, l'algorithme sous-estimait leurs besoins. Les chercheurs ont montré que remplacer la cible « dépenses » par des mesures de l'état de santé réduisait nettement ce biais.

La leçon : demandez ce que le modèle prédit réellement, comment cette cible a été mesurée et comment les performances diffèrent selon les groupes.""",
                    },
                },
                {
                    "kind": "ebook",
                    "minutes": 18,
                    "titles": {"en": "Regulation and human oversight", "fr": "Réglementation et supervision humaine"},
                    "bodies": {
                        "en": """<h2>Software as a medical device</h2>
<p>Software intended to diagnose, prevent, monitor or treat disease is regulated as a medical device in most jurisdictions, for example under the EU Medical Device Regulation or by the US Food and Drug Administration. Check the tool's regulatory status and its intended use: using it outside that use shifts responsibility to you.</p>
<h2>Health data</h2>
<p>Health data is a special category of personal data under the GDPR. Using it requires a legal basis, data minimisation and appropriate security; sharing it with a vendor requires a contract that limits its use.</p>
<h2>Human oversight</h2>
<p>A clinician must be able to understand the tool's output well enough to question it, and must remain free to overrule it. Watch for automation bias: the tendency to accept a machine's suggestion even when other evidence contradicts it.</p>
<h2>After deployment</h2>
<p>Monitor performance on your own patients, report malfunctions through your incident system and to the manufacturer, and re-evaluate when the population, equipment or workflow changes.</p>""",
                        "fr": """<h2>Le logiciel dispositif médical</h2>
<p>Un logiciel destiné à diagnostiquer, prévenir, surveiller ou traiter une maladie est réglementé comme un dispositif médical dans la plupart des juridictions, par exemple par le règlement européen relatif aux dispositifs médicaux ou par la Food and Drug Administration américaine. Vérifiez le statut réglementaire de l'outil et sa destination : l'utiliser en dehors de celle-ci fait peser la responsabilité sur vous.</p>
<h2>Les données de santé</h2>
<p>Les données de santé constituent une catégorie particulière de données personnelles au sens du RGPD. Leur utilisation exige une base légale, la minimisation des données et une sécurité appropriée ; leur partage avec un fournisseur exige un contrat qui en limite l'usage.</p>
<h2>La supervision humaine</h2>
<p>Le clinicien doit comprendre suffisamment le résultat de l'outil pour pouvoir le remettre en question, et rester libre de passer outre. Méfiez-vous du biais d'automatisation : la tendance à accepter la suggestion d'une machine même lorsque d'autres éléments la contredisent.</p>
<h2>Après le déploiement</h2>
<p>Surveillez les performances sur vos propres patients, signalez les dysfonctionnements dans votre système de déclaration d'incidents et au fabricant, et réévaluez l'outil lorsque la population, l'équipement ou l'organisation des soins changent.</p>""",
                    },
                },
                {
                    "kind": "quiz",
                    "minutes": 10,
                    "titles": {
                        "en": "Practice: reading clinical AI evidence",
                        "fr": "Entraînement : lire les preuves sur l'IA clinique",
                    },
                    "questions": [
                        {
                            "type": "single_choice",
                            "stem": {
                                "en": "Of the patients who have the condition, how many does the tool detect? This is…",
                                "fr": "Parmi les patients atteints, combien l'outil en détecte-t-il ? C'est…",
                            },
                            "options": [
                                {"en": "Specificity", "fr": "La spécificité"},
                                {"en": "Sensitivity", "fr": "La sensibilité"},
                                {"en": "Positive predictive value", "fr": "La valeur prédictive positive"},
                            ],
                            "answer": "b",
                            "explanations": {
                                "en": "Sensitivity = TP / (TP + FN).",
                                "fr": "Sensibilité = VP / (VP + FN).",
                            },
                        },
                        {
                            "type": "true_false",
                            "stem": {
                                "en": "The same tool has the same positive predictive value in every population.",
                                "fr": "Un même outil a la même valeur prédictive positive dans toutes les populations.",
                            },
                            "answer": "false",
                            "explanations": {
                                "en": "Predictive values depend on prevalence.",
                                "fr": "Les valeurs prédictives dépendent de la prévalence.",
                            },
                        },
                        {
                            "type": "multiple_response",
                            "stem": {
                                "en": "What should you ask a vendor before adopting a clinical AI tool?",
                                "fr": "Que faut-il demander à un fournisseur avant d'adopter un outil d'IA clinique ?",
                            },
                            "options": [
                                {
                                    "en": "Results of external validation",
                                    "fr": "Les résultats de la validation externe",
                                },
                                {"en": "Performance by subgroup", "fr": "Les performances par sous-groupe"},
                                {"en": "Only the overall accuracy", "fr": "Uniquement l'exactitude globale"},
                                {
                                    "en": "The regulatory status and intended use",
                                    "fr": "Le statut réglementaire et la destination",
                                },
                            ],
                            "answer": "a, b, d",
                            "explanations": {
                                "en": "A single accuracy figure hides what matters for your patients.",
                                "fr": "Un chiffre unique d'exactitude masque ce qui compte pour vos patients.",
                            },
                        },
                    ],
                },
            ],
        },
        {
            "titles": {"en": "Before deployment", "fr": "Avant le déploiement"},
            "summaries": {"en": "Apply it to a real decision.", "fr": "Appliquez-le à une décision réelle."},
            "lessons": [
                {
                    "kind": "case_lab",
                    "minutes": 60,
                    "titles": {
                        "en": "Assess a sepsis early-warning tool",
                        "fr": "Évaluer un outil d'alerte précoce du sepsis",
                    },
                    "bodies": {
                        "en": """<p>Your hospital is offered a sepsis early-warning model that scores adult inpatients every hour from vital signs and laboratory results. The vendor reports an area under the curve of 0.85 from a study in two US hospitals.</p>
<h2>Your task</h2>
<ul>
<li>List the evidence you still need before a decision, and why.</li>
<li>Estimate how many alerts a ward of 30 patients would receive per day, and what that means for alert fatigue.</li>
<li>Propose how clinicians will respond to alerts, who can overrule them, and how performance will be monitored.</li>
</ul>""",
                        "fr": """<p>On propose à votre hôpital un modèle d'alerte précoce du sepsis qui attribue chaque heure un score aux patients adultes hospitalisés à partir des signes vitaux et des résultats de laboratoire. Le fournisseur annonce une aire sous la courbe de 0,85 issue d'une étude menée dans deux hôpitaux américains.</p>
<h2>Votre tâche</h2>
<ul>
<li>Dressez la liste des preuves qui vous manquent encore pour décider, et expliquez pourquoi.</li>
<li>Estimez le nombre d'alertes qu'un service de 30 patients recevrait par jour, et ce que cela implique en matière de fatigue d'alerte.</li>
<li>Proposez la manière dont les cliniciens répondront aux alertes, qui peut passer outre et comment les performances seront surveillées.</li>
</ul>""",
                    },
                    "rubric": [
                        (
                            4,
                            {
                                "en": "Identifies missing local and external evidence",
                                "fr": "Identifie les preuves locales et externes manquantes",
                            },
                        ),
                        (
                            3,
                            {
                                "en": "Reasons about alert burden and predictive value",
                                "fr": "Raisonne sur la charge d'alertes et la valeur prédictive",
                            },
                        ),
                        (3, {"en": "Defines oversight and monitoring", "fr": "Définit la supervision et le suivi"}),
                    ],
                    "pass_points": 6,
                },
                {
                    "kind": "mentor",
                    "minutes": 10,
                    "titles": {"en": "Ask the course mentor", "fr": "Interroger le mentor du cours"},
                    "bodies": {
                        "en": "<p>Ask about validation, test accuracy, bias or regulation — for example “Why does prevalence change the positive predictive value?”.</p>",
                        "fr": "<p>Posez vos questions sur la validation, la précision des tests, les biais ou la réglementation — par exemple « Pourquoi la prévalence modifie-t-elle la valeur prédictive positive ? ».</p>",
                    },
                },
            ],
        },
    ],
}
