namespace Softnet.Control.Store;

/// <summary>A state store that cannot be read or written; the message names the file or endpoint and what is wrong.</summary>
public sealed class StateStoreException(string message, Exception? innerException = null) : Exception(message, innerException);
