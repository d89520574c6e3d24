using AutoMLStudio.Core.Devices;

namespace AutoMLStudio.Web.Tests;

/// <summary>
/// Placement over a described inventory: a 24 GiB GPU with two slots, an 8 GiB GPU with one, and a CPU with four.
/// Usable memory is 90% of each GPU's (21.6 and 7.2 GiB).
/// </summary>
public sealed class TrialPlacementTests
{
    private const long GiB = 1L << 30;

    private static List<QueueCapacity> Inventory() =>
    [
        new("gpu-0", "RTX 4090", 24 * GiB, Slots: 2, DeviceMode.Active, Trials: 0, ReservedBytes: 0),
        new("gpu-1", "RTX 3070", 8 * GiB, Slots: 1, DeviceMode.Active, Trials: 0, ReservedBytes: 0),
        new("cpu", "Xeon", 64 * GiB, Slots: 4, DeviceMode.Active, Trials: 0, ReservedBytes: 0),
    ];

    [Fact]
    public void A_small_trial_goes_to_the_gpu_with_the_most_memory_left_and_says_why()
    {
        var placement = TrialPlacement.Choose(2 * GiB, Inventory(), "cpu");

        Assert.Equal("gpu-0", placement.Queue);
        Assert.Equal("gpu-0 (RTX 4090) has a free slot and room for the 2 GiB it needs (0 of 2 slots taken, 21.6 GiB free).", placement.Reason);
    }

    [Fact]
    public void Trials_fill_the_slots_of_both_gpus_and_the_next_waits_for_a_gpu_rather_than_the_cpu()
    {
        var inventory = Inventory();
        var placed = new List<string>();
        for (var i = 0; i < 4; i++)
        {
            var queue = TrialPlacement.Choose(2 * GiB, inventory, "cpu").Queue;
            placed.Add(queue);
            var index = inventory.FindIndex(q => q.Queue == queue);
            inventory[index] = inventory[index] with { Trials = inventory[index].Trials + 1, ReservedBytes = inventory[index].ReservedBytes + 2 * GiB };
        }

        // Two share gpu-0 (two slots), the third takes gpu-1; the fourth waits for the least loaded GPU (a tie, by name).
        Assert.Equal(["gpu-0", "gpu-0", "gpu-1", "gpu-0"], placed);
    }

    [Fact]
    public void A_gpu_whose_memory_is_claimed_is_skipped_even_with_a_free_slot()
    {
        var inventory = Inventory();
        inventory[0] = inventory[0] with { Trials = 1, ReservedBytes = 20 * GiB };

        Assert.Equal("gpu-1", TrialPlacement.Choose(3 * GiB, inventory, "cpu").Queue);
    }

    [Fact]
    public void A_trial_too_big_for_the_small_gpu_waits_for_the_big_one_while_it_is_full()
    {
        var inventory = Inventory();
        inventory[0] = inventory[0] with { Trials = 2, ReservedBytes = 4 * GiB };

        var placement = TrialPlacement.Choose(12 * GiB, inventory, "cpu");

        Assert.Equal("gpu-0", placement.Queue);
        Assert.StartsWith("Every GPU that can hold the 12 GiB it needs is busy; it waits for gpu-0", placement.Reason);
    }

    [Fact]
    public void A_trial_no_gpu_can_hold_trains_on_the_cpu()
    {
        var placement = TrialPlacement.Choose(30 * GiB, Inventory(), "gpu-0");

        Assert.Equal("cpu", placement.Queue);
        Assert.Equal("No GPU has the 30 GiB it needs (largest: 21.6 GiB usable); it trains on the CPU (0 of 4 slots taken, 57.6 GiB free).", placement.Reason);
    }

    [Fact]
    public void Paused_and_draining_gpus_take_nothing_new()
    {
        var inventory = Inventory();
        inventory[0] = inventory[0] with { Mode = DeviceMode.Paused };
        inventory[1] = inventory[1] with { Mode = DeviceMode.Draining };

        Assert.Equal("cpu", TrialPlacement.Choose(1 * GiB, inventory, "gpu-0").Queue);
    }

    [Fact]
    public void With_every_device_paused_the_trial_waits_on_the_searchs_home_queue()
    {
        var inventory = Inventory().Select(q => q with { Mode = DeviceMode.Paused }).ToList();

        var placement = TrialPlacement.Choose(1 * GiB, inventory, "gpu-1");

        Assert.Equal("gpu-1", placement.Queue);
        Assert.Contains("paused or draining", placement.Reason);
    }

    [Fact]
    public void Without_gpus_the_cpu_takes_every_trial_and_unknown_memory_never_refuses_one()
    {
        var cpuOnly = new List<QueueCapacity> { new("cpu", "CPU", MemoryBytes: 0, Slots: 2, DeviceMode.Active, Trials: 5, ReservedBytes: 0) };

        Assert.Equal("cpu", TrialPlacement.Choose(100 * GiB, cpuOnly, "cpu").Queue);
    }

    [Fact]
    public void Without_any_live_worker_the_trial_waits_on_the_home_queue()
    {
        var placement = TrialPlacement.Choose(GiB, [], "gpu-0");

        Assert.Equal(new Placement("gpu-0", "No worker serves a device right now; the trial waits on gpu-0."), placement);
    }
}
