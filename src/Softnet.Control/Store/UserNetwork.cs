namespace Softnet.Control.Store;

/// <summary>
/// The software network of one connected user: the template it was made from (YAML text and its source) and when the
/// user connected (offset kept as given).
/// </summary>
public sealed record UserNetwork(string User, string TemplateYaml, string TemplateSource, DateTimeOffset Connected);
