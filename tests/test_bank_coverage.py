"""Every keyword group of the AIF-C01 v1.1 blueprint is tested by at least one question
of its task statement. A group is a regular expression over the question's stem, options,
steps, pairs and explanation."""

import re

import pytest

from aifprep import paths
from aifprep.bank import bundled_files, check_files
from aifprep.model import Matching, MultipleChoice, Ordering, SingleChoice

KEYWORDS = {
    "1.1": ["deep learning", "generative ai", r"agentic|ai agent", "neural network",
            "computer vision", r"natural language processing|\bnlp\b", r"inferenc",
            r"\bbias", "fairness", r"overfit|underfit", r"large language model|\bllm",
            r"\bbatch\b", r"real-time", r"asynchronous", r"serverless",
            r"labeled", r"unlabeled", r"tabular", r"time-series|time series", r"structured",
            r"supervised", r"unsupervised", r"reinforcement", r"self-supervised|semi-supervised"],
    "1.2": [r"regression", r"classification", r"clustering", r"computer vision|image",
            r"speech", r"recommend", r"fraud", r"forecast", r"sagemaker", r"transcribe",
            r"translate", r"comprehend", r"\blex\b", r"polly", r"rekognition", r"textract",
            r"personalize", r"foundation model", r"explainab",
            r"cost[- ]benefit|cost outweigh|not worth|deterministic|exact"],
    "1.3": [r"data collection|collect", r"exploratory|\beda\b", r"feature engineering",
            r"hyperparameter", r"deploy", r"monitor", r"pre-trained|pretrained", r"mlops",
            r"retrain", r"accuracy", r"precision", r"recall", r"\bf1\b", r"\broi\b|return on investment",
            r"data wrangler", r"feature store", r"model monitor", r"model registry",
            r"sagemaker pipelines|pipelines", r"canvas", r"jumpstart", r"bedrock", r"amazon quick",
            r"kiro", r"self-host|managed api"],
    "2.1": [r"token", r"chunk", r"embedding", r"vector", r"transformer", r"foundation model",
            r"multimodal|multi-modal", r"diffusion", r"summar", r"translat", r"code",
            r"pre-training|pretraining", r"fine-tun", r"context engineering|context window",
            r"model context protocol|\bmcp\b", r"multi-agent|supervisor", r"tool", r"memory",
            r"orchestrat", r"pric|cost"],
    "2.2": [r"hallucinat", r"interpretab", r"nondetermin|non-determin", r"inaccura",
            r"adaptab", r"conversion rate", r"average revenue per user|\barpu\b",
            r"lifetime value", r"\broi\b|return on investment", r"latency", r"complian",
            r"cross-domain", r"efficien"],
    "2.3": [r"amazon bedrock", r"sagemaker ai", r"jumpstart", r"amazon q\b|amazon q developer",
            r"amazon quick", r"kiro", r"strands", r"agentcore", r"amazon nova|\bnova\b",
            r"provisioned throughput", r"on-demand", r"region", r"speed to market|faster to market|time to market",
            r"custom model|fine-tuned model|customiz"],
    "3.1": [r"temperature", r"top-p|top p", r"top-k|top k", r"max(imum)? (length|tokens)|maximum length",
            r"stop sequence", r"knowledge bases?", r"opensearch", r"pgvector", r"neptune",
            r"aurora|rds for postgresql", r"prompt caching", r"distill", r"context length|context window",
            r"multilingual|language", r"latency", r"agent"],
    "3.2": [r"zero-shot", r"one-shot|single-shot", r"few-shot", r"chain-of-thought|chain of thought",
            r"template", r"negative prompt", r"prompt injection|hijack", r"jailbreak",
            r"prompt leak", r"poison", r"exposure|expose", r"prompt management", r"guardrail"],
    "3.3": [r"pre-train|pretrain", r"fine-tun", r"continued pre-training", r"distillation",
            r"instruction", r"domain adaptation|domain-specific", r"transfer learning",
            r"rlhf|reinforcement learning from human feedback", r"curat", r"label",
            r"governance", r"representative"],
    "3.4": [r"human", r"benchmark", r"model evaluation|evaluation job", r"rouge", r"bleu",
            r"bertscore", r"llm-as-a-judge|llm as a judge|judge", r"\brag\b|retriev", r"agent",
            r"task completion", r"user satisfaction|satisf", r"cost per interaction",
            r"productivity"],
    "4.1": [r"\bbias", r"fairness", r"inclusiv", r"robust", r"safety", r"veracity",
            r"controllab", r"guardrails", r"environment|energy|carbon", r"intellectual property|\bip\b|copyright",
            r"hallucinat", r"diverse|diversity", r"balanced", r"curated", r"variance",
            r"overfit|underfit", r"clarify", r"model monitor", r"augmented ai|\ba2i\b",
            r"subgroup", r"audit"],
    "4.2": [r"transparen", r"explainab", r"interpretab", r"model cards?", r"ai service cards?",
            r"open[- ]source", r"licens", r"\bshap\b", r"partial dependence", r"human-centered|human centered",
            r"trade-?off"],
    "5.1": [r"\biam\b", r"\bkms\b|key management", r"macie", r"privatelink|vpc endpoint",
            r"shared responsibility", r"lineage", r"catalog", r"model cards?", r"privacy",
            r"encrypt", r"prompt injection", r"leak", r"output filter|filter", r"cloudtrail|invocation log",
            r"toxic", r"agentcore identity", r"contextual grounding|grounding"],
    "5.2": [r"\biso\b", r"\bsoc\b", r"algorithm", r"aws config", r"inspector", r"audit manager",
            r"artifact", r"cloudtrail", r"trusted advisor", r"lifecycle", r"logging|logs",
            r"residency", r"monitor", r"retention", r"polic", r"review", r"scoping matrix",
            r"transparen", r"training"],
}


def text_of(q) -> str:
    parts = [q.stem, q.explanation]
    if isinstance(q, (SingleChoice, MultipleChoice)):
        parts += [o.text for o in q.options]
    elif isinstance(q, Ordering):
        parts += [s.text for s in q.steps]
    elif isinstance(q, Matching):
        parts += [f"{p.prompt} {p.answer}" for p in q.pairs] + [d.text for d in q.distractors]
    return " ".join(parts).lower()


QUESTIONS = check_files(bundled_files(paths.bundled_questions_dir())).questions


@pytest.mark.parametrize("task", sorted(KEYWORDS))
def test_every_keyword_group_is_tested(task):
    texts = [text_of(q) for q in QUESTIONS if q.task == task]
    missing = [kw for kw in KEYWORDS[task] if not any(re.search(kw, t) for t in texts)]
    assert missing == [], f"task {task}: no question mentions {missing}"
