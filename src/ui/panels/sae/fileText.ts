// The words the page uses about activations files, in one place (the SAE controls and the share actions).

/** Said wherever a link is shared while the SAE reads a file. */
export const FILE_LINK_CAVEAT = 'The activations file is not in the link (a link cannot carry a file): the SAE settings are, and whoever opens it is asked for the file.';
