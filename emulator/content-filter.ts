/** Content-filter annotations shaped as Azure sends them on unfiltered traffic. */
const SAFE = { filtered: false, severity: 'safe' };

export function choiceFilterResults() {
  return { hate: SAFE, self_harm: SAFE, sexual: SAFE, violence: SAFE };
}

export function promptFilterResults(promptCount = 1) {
  return Array.from({ length: promptCount }, (_, prompt_index) => ({
    prompt_index,
    content_filter_results: { ...choiceFilterResults(), jailbreak: { filtered: false, detected: false } },
  }));
}
