"""AI+ Educator (English and Spanish): learning, assessment, planning and integrity with generative AI."""

COURSE = {
    "track": "EDU",
    "code": "AIP-EDU-101",
    "slug": "ai-plus-educator-teaching-with-ai",
    "primary": "en",
    "languages": ["en", "es"],
    "video": "intro-edu.webm",
    "level": "foundation",
    "duration_hours": 10,
    "access_days": 180,
    "modes": ["elearning", "instructor_led"],
    "prices": {"USD": (39900, 19900, 31900), "EUR": (36900, 18900, 29500), "AED": (146900, 73900, 117900)},
    "titles": {
        "en": "AI+ Educator: Teaching With and About AI",
        "es": "AI+ Educador: enseñar con IA y sobre la IA",
    },
    "descriptions": {
        "en": "For teachers and lecturers: what generative AI changes for learning, how to design assessments that "
        "still show what students can do, how to plan and give feedback with AI, and how to handle integrity fairly.",
        "es": "Para docentes de todos los niveles: qué cambia la IA generativa en el aprendizaje, cómo diseñar "
        "evaluaciones que sigan mostrando lo que saben hacer los estudiantes, cómo planificar y dar retroalimentación "
        "con IA y cómo tratar la integridad académica con justicia.",
    },
    "modules": [
        {
            "titles": {"en": "Learning in the age of AI", "es": "Aprender en la era de la IA"},
            "summaries": {
                "en": "What changes for students, and for assessment.",
                "es": "Qué cambia para el alumnado y para la evaluación.",
            },
            "lessons": [
                {
                    "kind": "video",
                    "minutes": 8,
                    "titles": {
                        "en": "What generative AI means for learning",
                        "es": "Qué significa la IA generativa para el aprendizaje",
                    },
                    "transcripts": {
                        "en": """Students now have an assistant that can draft an essay, solve a worked problem or explain a concept in seconds. That does not make learning obsolete, but it changes which tasks show learning.

Learning happens through effortful thinking: retrieving what you know, making mistakes and getting feedback. If an AI does the thinking, the student gets the product without the learning.

Used well, the same tool can support learning: generating practice questions, giving a second explanation, or acting as a partner to argue with. The teacher's role is to decide when AI helps the learning goal and when it replaces it, and to say so clearly in every assignment.""",
                        "es": """El alumnado dispone ahora de un asistente capaz de redactar un ensayo, resolver un problema paso a paso o explicar un concepto en segundos. Eso no vuelve obsoleto el aprendizaje, pero sí cambia qué tareas muestran que se ha aprendido.

Se aprende mediante un pensamiento que exige esfuerzo: recuperar lo que se sabe, equivocarse y recibir retroalimentación. Si la IA piensa por el estudiante, este obtiene el producto sin el aprendizaje.

Bien utilizada, la misma herramienta puede apoyar el aprendizaje: generar preguntas de práctica, ofrecer una segunda explicación o hacer de interlocutor con quien debatir. El papel del docente es decidir cuándo la IA ayuda al objetivo de aprendizaje y cuándo lo sustituye, y decirlo con claridad en cada tarea.""",
                    },
                },
                {
                    "kind": "ebook",
                    "minutes": 18,
                    "titles": {
                        "en": "Designing assessments in the age of AI",
                        "es": "Diseñar evaluaciones en la era de la IA",
                    },
                    "bodies": {
                        "en": """<h2>Start from what you need to see</h2>
<p>Decide which knowledge or skill the assessment must show, then ask whether an AI could produce the evidence without the student having that skill. If it could, change the task, the conditions or the evidence you collect.</p>
<h2>Ways to redesign</h2>
<ul>
<li><strong>Process over product:</strong> collect drafts, notes and a short reflection on choices made.</li>
<li><strong>Local and personal context:</strong> tasks tied to class discussions, local data or the student's own experience.</li>
<li><strong>Oral components:</strong> a short conversation in which students explain and defend their work.</li>
<li><strong>Supervised tasks:</strong> some assessment done in class, without devices, for core skills.</li>
</ul>
<h2>Say what is allowed</h2>
<p>For each assignment, state the level of AI use permitted — none, for ideas only, for editing, or fully with acknowledgement — and how students must declare it. Clear rules protect honest students and make conversations about misuse fairer.</p>""",
                        "es": """<h2>Partir de lo que se necesita ver</h2>
<p>Decida qué conocimiento o destreza debe mostrar la evaluación y pregúntese si una IA podría producir la evidencia sin que el estudiante tenga esa destreza. Si pudiera, cambie la tarea, las condiciones o la evidencia que recoge.</p>
<h2>Formas de rediseñar</h2>
<ul>
<li><strong>El proceso por encima del producto:</strong> recoja borradores, apuntes y una breve reflexión sobre las decisiones tomadas.</li>
<li><strong>Contexto local y personal:</strong> tareas vinculadas a los debates de clase, a datos locales o a la experiencia del propio estudiante.</li>
<li><strong>Componentes orales:</strong> una breve conversación en la que el alumnado explica y defiende su trabajo.</li>
<li><strong>Tareas supervisadas:</strong> parte de la evaluación se hace en clase, sin dispositivos, para las destrezas básicas.</li>
</ul>
<h2>Decir qué está permitido</h2>
<p>En cada tarea, indique el nivel de uso de IA permitido —ninguno, solo para ideas, para corregir el texto o plenamente con reconocimiento— y cómo debe declararlo el alumnado. Unas reglas claras protegen a los estudiantes honestos y hacen más justas las conversaciones sobre un mal uso.</p>""",
                    },
                },
            ],
        },
        {
            "titles": {"en": "Teaching with AI", "es": "Enseñar con IA"},
            "summaries": {
                "en": "Planning and feedback with AI, and integrity without false accusations.",
                "es": "Planificar y retroalimentar con IA, e integridad sin acusaciones injustas.",
            },
            "lessons": [
                {
                    "kind": "podcast",
                    "minutes": 12,
                    "titles": {
                        "en": "Planning lessons and giving feedback with AI",
                        "es": "Planificar clases y dar retroalimentación con IA",
                    },
                    "transcripts": {
                        "en": """Welcome back. Today, two places where AI can save teachers time: planning and feedback.

For planning, give the assistant your learning objective, the students' level and the time available, and ask for options: three ways to introduce the topic, a set of practice questions of increasing difficulty, or examples that connect to your students' interests. Then choose and adapt; you know your class.

For feedback, AI can draft comments on a piece of writing against your rubric. Check every comment before it reaches a student, and make sure the feedback tells the student what to do next, not only what was wrong.

Two rules keep this safe. Do not paste students' personal data or identifiable work into tools your institution has not approved. And tell students when AI helped to produce the feedback they receive.""",
                        "es": """Bienvenidos de nuevo. Hoy, dos ámbitos en los que la IA puede ahorrar tiempo al profesorado: la planificación y la retroalimentación.

Para planificar, dé al asistente su objetivo de aprendizaje, el nivel del alumnado y el tiempo disponible, y pida opciones: tres maneras de introducir el tema, una serie de preguntas de práctica de dificultad creciente o ejemplos relacionados con los intereses de sus estudiantes. Después elija y adapte; usted conoce a su grupo.

Para la retroalimentación, la IA puede redactar comentarios sobre un texto según su rúbrica. Revise cada comentario antes de que llegue al estudiante y asegúrese de que la retroalimentación le dice qué hacer a continuación, no solo qué estaba mal.

Dos reglas garantizan la seguridad. No pegue datos personales ni trabajos identificables del alumnado en herramientas que su institución no haya aprobado. Y diga a sus estudiantes cuándo la IA ha ayudado a elaborar la retroalimentación que reciben.""",
                    },
                },
                {
                    "kind": "ebook",
                    "minutes": 16,
                    "titles": {
                        "en": "Academic integrity and AI detectors",
                        "es": "Integridad académica y detectores de IA",
                    },
                    "bodies": {
                        "en": """<h2>Why detectors cannot decide</h2>
<p>Tools that claim to detect AI-written text estimate how predictable a text is. They produce false positives, and studies have found that they flag writing by non-native English speakers as AI-generated far more often than writing by native speakers. A detector score is not evidence of misconduct on its own.</p>
<h2>A fairer process</h2>
<ul>
<li>Compare the work with the student's earlier writing and drafts.</li>
<li>Talk with the student: ask them to explain their reasoning and sources.</li>
<li>Apply the rules you announced for that assignment, and record how you reached the decision.</li>
</ul>
<h2>Prevention beats detection</h2>
<p>Assessments designed around process, context and conversation, together with clear rules on permitted AI use, prevent most problems and keep trust between teachers and students.</p>""",
                        "es": """<h2>Por qué los detectores no pueden decidir</h2>
<p>Las herramientas que afirman detectar textos escritos por IA estiman lo predecible que es un texto. Producen falsos positivos, y varios estudios han comprobado que señalan como generados por IA los textos de personas cuya lengua materna no es el inglés con mucha más frecuencia que los de hablantes nativos. La puntuación de un detector no es, por sí sola, prueba de una falta.</p>
<h2>Un proceso más justo</h2>
<ul>
<li>Compare el trabajo con los escritos y borradores anteriores del estudiante.</li>
<li>Hable con el estudiante: pídale que explique su razonamiento y sus fuentes.</li>
<li>Aplique las reglas que anunció para esa tarea y deje constancia de cómo llegó a la decisión.</li>
</ul>
<h2>Prevenir es mejor que detectar</h2>
<p>Las evaluaciones diseñadas en torno al proceso, el contexto y la conversación, junto con reglas claras sobre el uso permitido de la IA, evitan la mayoría de los problemas y mantienen la confianza entre docentes y estudiantes.</p>""",
                    },
                },
                {
                    "kind": "quiz",
                    "minutes": 8,
                    "titles": {"en": "Practice: assessment and integrity", "es": "Práctica: evaluación e integridad"},
                    "questions": [
                        {
                            "type": "true_false",
                            "stem": {
                                "en": "A high score from an AI detector proves that a student cheated.",
                                "es": "Una puntuación alta de un detector de IA demuestra que un estudiante ha hecho trampa.",
                            },
                            "answer": "false",
                            "explanations": {
                                "en": "Detectors produce false positives, especially for non-native writers.",
                                "es": "Los detectores producen falsos positivos, sobre todo con quienes no escriben en su lengua materna.",
                            },
                        },
                        {
                            "type": "multiple_response",
                            "stem": {
                                "en": "Which changes make an assessment show what the student can do, even with AI available?",
                                "es": "¿Qué cambios hacen que una evaluación muestre lo que sabe hacer el estudiante, aunque disponga de IA?",
                            },
                            "options": [
                                {"en": "Collecting drafts and reflections", "es": "Recoger borradores y reflexiones"},
                                {"en": "A short oral explanation", "es": "Una breve explicación oral"},
                                {
                                    "en": "A longer essay on a generic topic",
                                    "es": "Un ensayo más largo sobre un tema genérico",
                                },
                                {
                                    "en": "Tasks tied to class discussion",
                                    "es": "Tareas vinculadas a los debates de clase",
                                },
                            ],
                            "answer": "a, b, d",
                            "explanations": {
                                "en": "Generic take-home essays are exactly what an AI can produce.",
                                "es": "Los ensayos genéricos para casa son precisamente lo que una IA puede producir.",
                            },
                        },
                        {
                            "type": "single_choice",
                            "stem": {
                                "en": "What should you do before sending AI-drafted feedback to a student?",
                                "es": "¿Qué debe hacer antes de enviar a un estudiante una retroalimentación redactada con IA?",
                            },
                            "options": [
                                {"en": "Nothing, if the rubric was included", "es": "Nada, si se incluyó la rúbrica"},
                                {
                                    "en": "Check every comment and tell the student AI helped",
                                    "es": "Revisar cada comentario e informar al estudiante de que la IA ayudó",
                                },
                                {"en": "Run it through a detector", "es": "Pasarla por un detector"},
                            ],
                            "answer": "b",
                            "explanations": {
                                "en": "You stay responsible for the feedback, and students deserve to know how it was made.",
                                "es": "Usted sigue siendo responsable de la retroalimentación, y el alumnado merece saber cómo se elaboró.",
                            },
                        },
                    ],
                },
            ],
        },
        {
            "titles": {"en": "Putting it into practice", "es": "Llevarlo a la práctica"},
            "summaries": {"en": "Redesign one of your own assignments.", "es": "Rediseñe una de sus propias tareas."},
            "lessons": [
                {
                    "kind": "case_lab",
                    "minutes": 50,
                    "titles": {"en": "Redesign an assignment", "es": "Rediseñar una tarea"},
                    "bodies": {
                        "en": """<p>Choose an assignment you set this year (or use this one: “Write a 1,000-word essay on the causes of the First World War”).</p>
<h2>Your task</h2>
<ul>
<li>Explain what the assignment must show about students' learning.</li>
<li>Redesign it so that the evidence still shows that learning when AI tools are available.</li>
<li>Write the instructions students will read, including the permitted level of AI use and how to declare it.</li>
</ul>""",
                        "es": """<p>Elija una tarea que haya propuesto este año (o utilice esta: «Escribe un ensayo de 1000 palabras sobre las causas de la Primera Guerra Mundial»).</p>
<h2>Su tarea</h2>
<ul>
<li>Explique qué debe mostrar la tarea sobre el aprendizaje del alumnado.</li>
<li>Rediséñela para que la evidencia siga mostrando ese aprendizaje cuando haya herramientas de IA disponibles.</li>
<li>Redacte las instrucciones que leerán los estudiantes, con el nivel de uso de IA permitido y cómo declararlo.</li>
</ul>""",
                    },
                    "rubric": [
                        (3, {"en": "Clear learning goal", "es": "Objetivo de aprendizaje claro"}),
                        (
                            4,
                            {
                                "en": "A redesign that still shows the learning",
                                "es": "Un rediseño que sigue mostrando el aprendizaje",
                            },
                        ),
                        (
                            3,
                            {
                                "en": "Clear rules on AI use for students",
                                "es": "Reglas claras de uso de IA para el alumnado",
                            },
                        ),
                    ],
                    "pass_points": 6,
                },
                {
                    "kind": "mentor",
                    "minutes": 10,
                    "titles": {"en": "Ask the course mentor", "es": "Preguntar al mentor del curso"},
                    "bodies": {
                        "en": "<p>Ask about assessment design, feedback or integrity — for example “Can I rely on AI detectors?”.</p>",
                        "es": "<p>Pregunte sobre el diseño de evaluaciones, la retroalimentación o la integridad; por ejemplo: «¿Puedo fiarme de los detectores de IA?».</p>",
                    },
                },
            ],
        },
    ],
}
