/** The campaign dialer's runtime (M7): folds the log, plans with the saga, acts through AMI. */
export { DialerActions, type DialerAmi, type DispatchSirenCommand } from './dialer-actions';
export { DialerRuntime, type DialerAmiClient, type DialerIngest, type DialerRuntimeOptions } from './dialer-runtime';
export { scaledClock } from './scaled-clock';
export { prepareCampaign, runSimulatedCampaign, type SimulatedCampaignOptions, type SimulatedCampaignResult } from './simulated-campaign';
