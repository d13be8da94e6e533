// The words the page uses about activations files, in one place (the SAE controls and the share actions).

/** Said wherever a link is shared while the SAE reads a file. */
export const FILE_LINK_CAVEAT = 'The activations file is not in the link (a link cannot carry a file): the SAE settings are, and whoever opens it is asked for the file.';

/** Said when a link chose the file source: the link brought the settings, the file must come from the user. */
export const FILE_NOT_IN_LINK = 'This link trains on an activations file, which a link cannot carry: choose the .npy or JSON file below (the other SAE settings came from the link).';
