/**
 * Words that carry no checkable fact of their own: function words, and the
 * framing words an answer may add freely. Used to find a claim's content
 * words and the identifying words of a name. Small on purpose: every entry
 * is a judgement, and a long list would quietly turn "not in the context"
 * into "fine".
 */
import { stem } from "./stem.js";

/** Function words: they never carry a checkable claim on their own. */
export const STOPWORDS: ReadonlySet<string> = new Set(
  (
    "a an the this that these those there here i me my mine we us our ours you your yours he him his she her hers " +
    "it its they them their theirs who whom whose which what whatever when where why how " +
    "is are was were be been being am do does did done doing have has had having will would shall should can could " +
    "may might must of in on at to for from by with within into onto upon about above below over under between among " +
    "through throughout during before after since until till against toward towards across along around behind beyond " +
    "and or but nor so yet if then than as because while although though whereas however also too very just even " +
    "still already again ever all any some each every both either few many much more most less least other another " +
    "such same own not no never s t up down out off thus therefore hence yes etc per via et al one's itself himself " +
    "herself themselves whom whose upon onto due back"
  ).split(/\s+/),
);

/**
 * Words that frame a claim without adding a fact ("is located in", "is known
 * as", "according to the context"). An answer may add them freely.
 */
export const LIGHT_WORDS: ReadonlySet<string> = new Set(
  (
    "known called located situated based stands stood lies sits considered regarded described referred currently " +
    "originally actually " +
    "really indeed mainly mostly primarily generally usually typically often widely notably especially particularly " +
    "namely respectively approximately roughly exactly precisely nearly almost some according context text passage " +
    "document source information provided mention mentioned mentions stated says say said indicates indicate answer " +
    "question reference given following specifically simply only " +
    // Verbs too general to carry a fact on their own ("became a World Heritage Site", "came out in 2008").
    "become became make made come came go goes went get got take took give gave put keep kept turn remain stay seem happen occur"
  )
    .split(/\s+/)
    .map(stem),
);
