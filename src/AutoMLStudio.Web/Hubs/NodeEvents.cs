using System.Text.Json;
using AutoMLStudio.Core;
using AutoMLStudio.Core.Datasets;
using AutoMLStudio.Core.Searches;
using Microsoft.Extensions.Options;
using Npgsql;

namespace AutoMLStudio.Web.Hubs;

/// <summary>
/// Search and dataset events between nodes that share PostgreSQL: every event is delivered on its own node at once and
/// sent with <c>pg_notify</c> on <see cref="Channel"/>; <see cref="NodeEventListener"/> on each UI node hands the other
/// nodes' events to its hubs, so a browser on the web node follows a trial a worker trains. NOTIFY is delivered only to
/// connected listeners and never stored: a live feed, not a log (the rows are the record).
/// </summary>
public sealed class NodeEvents(EventFanout local, IOptions<StudioOptions> options, ILogger<NodeEvents> logger)
    : ISearchEventPublisher, IDatasetEventPublisher
{
    public const string Channel = "studio_events";

    // PostgreSQL refuses a NOTIFY payload of 8,000 bytes or more.
    private const int MaxPayload = 7900;

    internal static readonly Dictionary<string, Type> Types = new[]
    {
        typeof(TrialStarted), typeof(EpochCompleted), typeof(TrialCompleted), typeof(FinalRetrainStarted), typeof(SearchCompleted),
        typeof(LabelsChanged),
    }.ToDictionary(t => t.Name);

    internal sealed record Envelope(string Node, string Type, JsonElement Event);

    public async Task PublishAsync(SearchEvent searchEvent)
    {
        await local.PublishAsync(searchEvent);
        await NotifyAsync(searchEvent);
    }

    public async Task PublishAsync(DatasetEvent datasetEvent)
    {
        await local.PublishAsync(datasetEvent);
        // A long list of label changes goes as its count only; the other nodes' pages then reload, as they do for bulk changes.
        await NotifyAsync(datasetEvent is LabelsChanged { Changes.Count: > 20 } labels ? labels with { Changes = [] } : datasetEvent);
    }

    private async Task NotifyAsync(object payload)
    {
        var envelope = JsonSerializer.Serialize(new Envelope(options.Value.NodeName, payload.GetType().Name,
            JsonSerializer.SerializeToElement(payload, payload.GetType(), JsonSerializerOptions.Web)), JsonSerializerOptions.Web);
        if (envelope.Length > MaxPayload)
        {
            logger.LogWarning("{Event} is too large to send to other nodes ({Bytes} bytes)", payload.GetType().Name, envelope.Length);
            return;
        }
        try
        {
            await using var connection = new NpgsqlConnection(options.Value.ConnectionString);
            await connection.OpenAsync();
            await using var command = new NpgsqlCommand("SELECT pg_notify(@channel, @payload)", connection);
            command.Parameters.AddWithValue("channel", Channel);
            command.Parameters.AddWithValue("payload", envelope);
            await command.ExecuteNonQueryAsync();
        }
        catch (Exception e) when (e is NpgsqlException or TimeoutException)
        {
            // Publishing never fails the caller: the rows are written, other nodes' pages catch up on their next read.
            logger.LogWarning(e, "Could not send {Event} to other nodes", payload.GetType().Name);
        }
    }
}

/// <summary>Listens on <see cref="NodeEvents.Channel"/> and hands other nodes' events to this node's hubs; reconnects after a lost connection.</summary>
public sealed class NodeEventListener(EventFanout local, IOptions<StudioOptions> options, ILogger<NodeEventListener> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await using var connection = new NpgsqlConnection(options.Value.ConnectionString);
                await connection.OpenAsync(stoppingToken);
                connection.Notification += (_, e) => _ = DeliverAsync(e.Payload);
                await using (var listen = new NpgsqlCommand($"LISTEN {NodeEvents.Channel}", connection))
                    await listen.ExecuteNonQueryAsync(stoppingToken);
                logger.LogInformation("Listening for other nodes' events");
                while (!stoppingToken.IsCancellationRequested) await connection.WaitAsync(stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e) when (e is NpgsqlException or TimeoutException or System.Net.Sockets.SocketException or IOException)
            {
                logger.LogWarning("Lost the event connection to PostgreSQL ({Message}); retrying in 5 s", e.Message);
                await Task.Delay(TimeSpan.FromSeconds(5), stoppingToken).ContinueWith(_ => { }, TaskScheduler.Default);
            }
        }
    }

    private async Task DeliverAsync(string payload)
    {
        try
        {
            var envelope = JsonSerializer.Deserialize<NodeEvents.Envelope>(payload, JsonSerializerOptions.Web);
            if (envelope is null || envelope.Node == options.Value.NodeName || !NodeEvents.Types.TryGetValue(envelope.Type, out var type)) return;
            switch (envelope.Event.Deserialize(type, JsonSerializerOptions.Web))
            {
                case SearchEvent searchEvent:
                    await local.PublishAsync(searchEvent);
                    break;
                case DatasetEvent datasetEvent:
                    await local.PublishAsync(datasetEvent);
                    break;
            }
        }
        catch (JsonException e)
        {
            logger.LogWarning(e, "An unreadable event arrived from another node");
        }
    }
}
