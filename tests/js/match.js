// Match phrasings against an interaction model the way virtual-alexa does, and print what each became.
// Usage: node match.js MODEL.json < phrases.json   (a JSON list of strings)
// Prints a JSON list, one entry a phrase: {"intent": name or null, "slots": {name: {"value": …, "id": …}}}.
"use strict";
const fs = require("fs");
const { InteractionModel } = require("virtual-alexa/lib/src/model/InteractionModel");
const { Utterance } = require("virtual-core");

if (process.argv.length !== 3 || process.argv[2] === "--help") {
  console.error("usage: node match.js MODEL.json < phrases.json");
  process.exit(process.argv[2] === "--help" ? 0 : 2);
}
const model = InteractionModel.fromFile(process.argv[2]);
const phrases = JSON.parse(fs.readFileSync(0, "utf8"));
const out = phrases.map((phrase) => {
  const utterance = new Utterance(model, phrase);
  if (!utterance.matched()) return { intent: null, slots: {} };
  const slots = {};
  const schema = model.intentSchema.intent(utterance.intent());
  for (const [name, value] of Object.entries(utterance.toJSON())) {
    if (!value) continue;
    const slot = schema.slotForName(name);
    const match = slot ? model.slotTypes.matchesSlot(slot.type, value) : undefined;
    const id = match && match.enumeratedValue ? (match.enumeratedValue.id || match.enumeratedValue.name.value) : null;
    slots[name] = { value, id };
  }
  return { intent: utterance.intent(), slots };
});
process.stdout.write(JSON.stringify(out));
