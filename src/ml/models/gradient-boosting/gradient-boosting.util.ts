export * from './gradient-boosting-params.util';
export * from './gradient-boosting.types';
export { fitGradientBoosting } from './fit-gradient-boosting.util';
export { gradientBoostingLogit } from './gradient-boosting-logit.util';
export {
  explainGradientBoosting,
  explainGradientBoostingModel,
  gradientBoostingExplanationMethod,
  gradientBoostingNodeCount,
  TREE_SHAP_MAX_NODES,
} from './explain-gradient-boosting.util';
export { explainGradientBoostingTreeShap } from './tree-shap.util';
